import type { Mistake } from './mistake.js';

const FILE = 'server/cluster-link.ts';
const CLAIM = "const answer = await this.redis.set(nameKey(name), this.serverId, 'PX', this.leaseMs, 'NX');";

export const mistakes: Mistake[] = [
  {
    name: 'claim() asks with GET, then takes with SET: two servers both see the name free',
    file: FILE,
    change: [{
      from: CLAIM,
      to: "if ((await this.redis.get(nameKey(name))) !== null) return false;\n    const answer = await (this.redis as any).set(nameKey(name), this.serverId, 'PX', this.leaseMs);",
    }],
    says: 'a GET then a SET leaves a gap',
  },
  {
    name: 'the key is the name as typed: alice and ALICE are two names',
    file: FILE,
    change: [{ from: 'return NAME_KEY_PREFIX + name.toLowerCase();', to: 'return NAME_KEY_PREFIX + name;' }],
    says: 'under its lower-case key',
  },
  {
    name: 'claim() sets no lease (SET NX without PX): a dead server\'s names are never free',
    file: FILE,
    change: [{ from: CLAIM, to: "const answer = await (this.redis as any).set(nameKey(name), this.serverId, 'NX');" }],
    says: 'has no expiry',
  },
  {
    name: 'renew() does nothing: a name runs out while its owner is online',
    file: FILE,
    change: [{ from: '  async renew(names: readonly string[]): Promise<string[]> {\n', to: '  async renew(names: readonly string[]): Promise<string[]> {\n    return [];\n' }],
    says: 'her lease ran out while she was online',
  },
  {
    name: 'renew() is a bare PEXPIRE: after a Redis restart every name is lost',
    file: FILE,
    change: [{ from: 'this.redis.eval(KEEP, 1,', to: "this.redis.eval(\"return redis.call('PEXPIRE', KEYS[1], ARGV[2])\", 1," }],
    says: 'a bare PEXPIRE answers 0',
  },
  {
    name: 'renew() extends the leases but reports no name lost: a user whose name another server took stays online',
    file: FILE,
    change: [{
      from: '    const kept = await Promise.all(names.map((name) => this.redis.eval(KEEP, 1, nameKey(name), this.serverId, this.leaseMs)));\n    return names.filter((_, i) => kept[i] !== 1);',
      to: '    await Promise.all(names.map((name) => this.redis.eval(KEEP, 1, nameKey(name), this.serverId, this.leaseMs)));\n    return [];',
    }],
    says: 'renew() returns the names whose answer was not 1',
  },
  {
    name: 'renew() returns the names it kept, not those it lost: the wrong users are disconnected',
    file: FILE,
    change: [{ from: 'return names.filter((_, i) => kept[i] !== 1);', to: 'return names.filter((_, i) => kept[i] === 1);' }],
    says: 'renew() returns the names whose answer was not 1',
  },
  {
    name: 'release() does nothing: a name stays taken for a whole lease after its owner quits',
    file: FILE,
    change: [{ from: '    await this.redis.eval(RELEASE, 1, nameKey(name), this.serverId);\n', to: '' }],
    says: 'only release() frees the name this soon',
  },
  {
    name: 'release() is a bare DEL: it deletes a name another server holds now',
    file: FILE,
    change: [{ from: 'await this.redis.eval(RELEASE, 1, nameKey(name), this.serverId);', to: "await this.redis.eval(\"return redis.call('DEL', KEYS[1])\", 1, nameKey(name));" }],
    says: 'never with a bare DEL',
  },
];
