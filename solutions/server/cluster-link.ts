// Lesson 19: the link between one chat server and the Redis that every server shares.
//
// Names: lesson 7's lock only stops logins inside one process. Across servers, checking
// a name and taking it must be one step inside Redis: SET ... NX does both (it sets the
// key only if it does not exist). The key expires (PX, a lease) unless its owner renews
// it, so the names of a server that crashed come free by themselves.
// Events: PUBLISH sends a message to every server SUBSCRIBEd to the channel, in the order
// one connection published them.

import {
  CLUSTER_CHANNEL,
  NAME_KEY_PREFIX,
  type ClusterLinkLike,
  type RedisCommands,
  type RedisSubscriber,
} from '../../app/server/types.js';

/**
 * Keeps a lease that is ours (extends it), or takes back one that Redis has lost (after a
 * restart). Returns 0 when another server holds the name. A script runs atomically: no other
 * command can slip in between its GET and its PEXPIRE.
 */
export const KEEP = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not owner then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]); return 1 end
return 0`;

/** Deletes the key only if its value is ours: a name we lost stays with its new owner. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** 'Alice' and 'alice' are one name: one key. */
function nameKey(name: string): string {
  return NAME_KEY_PREFIX + name.toLowerCase();
}

export class ClusterLink implements ClusterLinkLike {
  constructor(
    private readonly redis: RedisCommands,
    private readonly subscriber: RedisSubscriber,
    /** What this server writes as the owner of its names. */
    private readonly serverId: string,
    private readonly leaseMs: number,
  ) {}

  async claim(name: string): Promise<boolean> {
    // One command: exists-check and write happen together, so two servers can never both win.
    const answer = await this.redis.set(nameKey(name), this.serverId, 'PX', this.leaseMs, 'NX');
    return answer === 'OK';
  }

  async renew(names: readonly string[]): Promise<string[]> {
    const kept = await Promise.all(names.map((name) => this.redis.eval(KEEP, 1, nameKey(name), this.serverId, this.leaseMs)));
    return names.filter((_, i) => kept[i] !== 1);
  }

  async release(name: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, nameKey(name), this.serverId);
  }

  async publish(message: string): Promise<void> {
    await this.redis.publish(CLUSTER_CHANNEL, message);
  }

  async subscribe(onMessage: (message: string) => void): Promise<void> {
    // On its own connection: messages to read never queue up in front of a claim.
    this.subscriber.on('message', (channel, message) => {
      if (channel === CLUSTER_CHANNEL) onMessage(message);
    });
    await this.subscriber.subscribe(CLUSTER_CHANNEL);
  }
}
