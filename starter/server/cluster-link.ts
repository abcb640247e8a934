// Lesson 19: the link between one chat server and the Redis that every server shares.
// Read the lesson first: npm run lesson 19      Check your work: npm test -- lesson19

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

export class ClusterLink implements ClusterLinkLike {
  constructor(
    private readonly redis: RedisCommands,
    private readonly subscriber: RedisSubscriber,
    /** What this server writes as the owner of its names. */
    private readonly serverId: string,
    private readonly leaseMs: number,
  ) {}

  async claim(name: string): Promise<boolean> {
    // TODO (lesson 19): one command that sets the name's key (NAME_KEY_PREFIX + the name in
    // lower case) to this.serverId only if it does not exist, expiring after this.leaseMs:
    // this.redis.set(key, value, 'PX', ms, 'NX'). Redis answers 'OK' or null.
    throw new Error('TODO (lesson 19): claim() is not written yet. Read the lesson: npm run lesson 19');
  }

  async renew(names: readonly string[]): Promise<string[]> {
    // TODO (lesson 19): run the KEEP script on each name's key (this.redis.eval(KEEP, 1,
    // key, this.serverId, this.leaseMs)); return the names for which it did not answer 1.
    throw new Error('TODO (lesson 19): renew() is not written yet. Read the lesson: npm run lesson 19');
  }

  async release(name: string): Promise<void> {
    // TODO (lesson 19): the RELEASE script on the name's key: a name we lost is not ours to delete.
    throw new Error('TODO (lesson 19): release() is not written yet. Read the lesson: npm run lesson 19');
  }

  async publish(message: string): Promise<void> {
    // TODO (lesson 19): PUBLISH the message on CLUSTER_CHANNEL.
    throw new Error('TODO (lesson 19): publish() is not written yet. Read the lesson: npm run lesson 19');
  }

  async subscribe(onMessage: (message: string) => void): Promise<void> {
    // TODO (lesson 19): listen for 'message' on this.subscriber (it gives the channel and
    // the message) and pass on those of CLUSTER_CHANNEL; then SUBSCRIBE to it.
    throw new Error('TODO (lesson 19): subscribe() is not written yet. Read the lesson: npm run lesson 19');
  }
}
