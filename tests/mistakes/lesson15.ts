import type { Mistake } from './mistake.js';

const FILE = 'server/accounts.ts';

export const mistakes: Mistake[] = [
  {
    name: 'the password itself is stored, in the hash column',
    file: FILE,
    change: [
      { from: 'return this.store.insert({ name, salt, hash, ...COST });', to: 'return this.store.insert({ name, salt, hash: Buffer.from(password), ...COST });' },
      { from: 'const hash = await hashPassword(password, account.salt, account);', to: 'const hash = Buffer.from(password);' },
    ],
    says: 'the database file holds it',
  },
  {
    name: 'one salt for every account: one password, one hash',
    file: FILE,
    change: [{ from: 'const salt = randomBytes(SALT_BYTES);', to: "const salt = Buffer.from('chat-course-salt');" }],
    says: 'a different salt, and so a different hash',
  },
  {
    name: 'a login hashed with today\'s COST, not the row\'s: rows hashed before N was raised never verify',
    file: FILE,
    change: [{ from: 'const hash = await hashPassword(password, account.salt, account);', to: 'const hash = await hashPassword(password, account.salt, COST);' }],
    says: 'the cost the row names',
  },
  {
    name: 'the hashes compared with Buffer.equals: stops at the first byte that differs',
    file: FILE,
    change: [{ from: 'right = hash.length === account.hash.length && timingSafeEqual(hash, account.hash);', to: 'right = hash.equals(account.hash);' }],
    says: 'never called crypto.timingSafeEqual',
  },
  {
    name: 'scryptSync: the one thread stops while a password is hashed',
    file: FILE,
    change: [{
      from: '  return new Promise((resolve, reject) => {\n    scrypt(password, salt, HASH_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, hash) => (err ? reject(err) : resolve(hash)));\n  });',
      to: '  return Promise.resolve(scryptSync(password, salt, HASH_BYTES, { N, r, p, maxmem: 256 * N * r }));',
    }, { from: "import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';", to: "import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';" }],
    says: 'called scryptSync',
  },
  {
    name: 'scrypt with Node\'s default cost: nothing written down',
    file: FILE,
    change: [{ from: 'scrypt(password, salt, HASH_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, hash)', to: 'scrypt(password, salt, HASH_BYTES, (err, hash)' }],
    says: 'the cost written down',
  },
  {
    name: 'a wrong password answered at once: no delay',
    file: FILE,
    change: [{ from: '    if (!right) await sleep(arrived + FAIL_DELAY_MS - Date.now()); // late, however it failed\n', to: '' }],
    says: 'returned false',
  },
  {
    name: 'only a checked wrong password waits: a locked name is refused at once',
    file: FILE,
    change: [
      { from: '        if (!right) this.wrong.set(', to: '        if (!right) await sleep(arrived + FAIL_DELAY_MS - Date.now());\n        if (!right) this.wrong.set(' },
      { from: '    if (!right) await sleep(arrived + FAIL_DELAY_MS - Date.now()); // late, however it failed\n', to: '' },
    ],
    says: 'a refusal that comes at once says "locked"',
  },
  {
    name: 'no limit on tries: the 6th password is checked like the first',
    file: FILE,
    change: [{ from: 'if (recent.length < MAX_WRONG) {', to: 'if (recent) {' }],
    says: 'the RIGHT password got',
  },
  {
    name: 'a locked name\'s password is still hashed, and only then refused',
    file: FILE,
    change: [
      { from: 'if (recent.length < MAX_WRONG) {', to: 'if (recent) {' },
      { from: '        right = hash.length === account.hash.length && timingSafeEqual(hash, account.hash);', to: '        right = recent.length < MAX_WRONG && hash.length === account.hash.length && timingSafeEqual(hash, account.hash);' },
    ],
    says: 'hashed its password first',
  },
  {
    name: 'unchecked tries counted as wrong ones: a locked name stays locked while the guessing goes on',
    file: FILE,
    change: [{ from: '    if (!right) await sleep(', to: '    if (!right && recent.length >= MAX_WRONG) this.wrong.set(name.toLowerCase(), [...recent, this.now()]);\n    if (!right) await sleep(' }],
    says: 'unchecked tries do not count as wrong',
  },
  {
    name: 'a right password resets the count of wrong ones',
    file: FILE,
    change: [{ from: '        if (!right) this.wrong.set(', to: '        if (right) this.wrong.delete(name.toLowerCase());\n        if (!right) this.wrong.set(' }],
    says: 'does not reset the count',
  },
  {
    name: 'wrong tries counted for everyone, not per name',
    file: FILE,
    change: [
      { from: '    const key = name.toLowerCase();\n', to: "    const key = 'everyone';\n" },
      { from: 'this.wrong.set(name.toLowerCase(), [', to: "this.wrong.set('everyone', [" },
    ],
    says: 'counted per name',
  },
  {
    name: 'a wrong try added to the list as it was before the hash: tries that ran meanwhile are lost',
    file: FILE,
    change: [{ from: 'this.wrong.set(name.toLowerCase(), [...this.recentWrong(name), this.now()].slice(-MAX_WRONG));', to: 'this.wrong.set(name.toLowerCase(), [...recent, this.now()]);' }],
    says: 'the RIGHT password got',
  },
  {
    name: 'registeredName() answers the name as typed, not as registered: ALICE logs in as ALICE',
    file: FILE,
    change: [{ from: 'return (await this.store.find(name))?.name;', to: 'return (await this.store.find(name)) ? name : undefined;' }],
    says: 'the name as registered',
  },
  {
    name: 'registeredName() answers the name it was asked: every name looks registered',
    file: FILE,
    change: [{ from: 'return (await this.store.find(name))?.name;', to: 'return name;' }],
    says: 'registeredName() returns undefined for a name with no row',
  },
  {
    name: 'find() not awaited: a promise has no name, so nobody looks registered',
    file: FILE,
    change: [{ from: 'return (await this.store.find(name))?.name;', to: 'return (this.store.find(name) as unknown as { name?: string }).name;' }],
    says: 'a password event',
  },
  {
    name: 'a look before the hash, and insert()\'s answer ignored: a name registered meanwhile elsewhere is told yes',
    file: FILE,
    change: [{
      from: '    return this.store.insert({ name, salt, hash, ...COST });',
      to: '    if (await this.store.find(name)) return false;\n    await this.store.insert({ name, salt, hash, ...COST });\n    return true;',
    }],
    says: 'and your register() returned true',
  },
  {
    name: 'every answer waits, the right one too: each login costs half a second',
    file: FILE,
    change: [{ from: '    if (!right) await sleep(arrived + FAIL_DELAY_MS - Date.now()); // late, however it failed\n', to: '    await sleep(arrived + FAIL_DELAY_MS - Date.now());\n' }],
    says: 'true at once',
  },
  {
    name: 'a right password counted as a wrong one: alice locks herself out by logging in',
    file: FILE,
    change: [{ from: '        if (!right) this.wrong.set(', to: '        this.wrong.set(' }],
    says: 'so it is not counted',
  },
  {
    name: 'no check for a missing row: a name without one throws',
    file: FILE,
    change: [{ from: '      if (account) {', to: '      {' }],
    says: 'there is nothing to hash',
  },
  {
    name: 'the lengths not compared first: timingSafeEqual throws on a hash of another length',
    file: FILE,
    change: [{ from: 'right = hash.length === account.hash.length && timingSafeEqual(hash, account.hash);', to: 'right = timingSafeEqual(hash, account.hash);' }],
    says: 'compare the lengths first',
  },
  {
    name: 'the login is logged, password and all',
    file: FILE,
    change: [{ from: '    const arrived = Date.now();\n', to: '    const arrived = Date.now();\n    console.log(`login attempt: ${name} / ${password}`);\n' }],
    says: 'never the password',
  },
];
