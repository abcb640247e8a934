import type { Mistake } from './mistake.js';

// The reference claimName's body, which several mistakes below rewrite.
const LOCKED_BODY = `  return ctx.loginLock.runExclusive(async () => {
    if (ctx.registry.find(name)) return 'taken';
    if (await ctx.names.isReserved(name)) return 'reserved';
    if (client.closed) return 'gone'; // it hung up while it waited: never register a ghost
    client.name = name;
    ctx.registry.add(client);
    return 'ok';
  });`;

export const mistakes: Mistake[] = [
  {
    name: 'claimName without the lock: check, await, register (the starter as it was)',
    file: 'server/claim-name.ts',
    change: [
      {
        from: LOCKED_BODY,
        to: `  if (ctx.registry.find(name)) return 'taken';
  if (await ctx.names.isReserved(name)) return 'reserved';
  if (client.closed) return 'gone';
  client.name = name;
  ctx.registry.add(client);
  return 'ok';`,
      },
    ],
    says: 'never called ctx.loginLock.runExclusive()',
  },
  {
    name: 'the Python original\'s bug: the lock for the check, released, the await, the lock again to register',
    file: 'server/claim-name.ts',
    change: [
      {
        from: LOCKED_BODY,
        to: `  const taken = await ctx.loginLock.runExclusive(() => ctx.registry.find(name) !== undefined);
  if (taken) return 'taken';
  if (await ctx.names.isReserved(name)) return 'reserved';
  if (client.closed) return 'gone';
  await ctx.loginLock.runExclusive(() => {
    client.name = name;
    ctx.registry.add(client);
  });
  return 'ok';`,
      },
    ],
    says: 'once to check, and again to register',
  },
  {
    name: 'checks the registry before taking the lock ("a cheap check first")',
    file: 'server/claim-name.ts',
    change: [
      {
        from: "  return ctx.loginLock.runExclusive(async () => {\n    if (ctx.registry.find(name)) return 'taken';",
        to: "  if (ctx.registry.find(name)) return 'taken';\n  return ctx.loginLock.runExclusive(async () => {",
      },
    ],
    says: 'some step ran outside the lock',
  },
  {
    name: 'takes the lock again inside the lock to register (the Python original took its lock twice on one path)',
    file: 'server/claim-name.ts',
    change: [
      {
        from: '    client.name = name;\n    ctx.registry.add(client);\n    return \'ok\';',
        to: '    await ctx.loginLock.runExclusive(() => {\n      client.name = name;\n      ctx.registry.add(client);\n    });\n    return \'ok\';',
      },
    ],
    says: 'not reentrant',
  },
  {
    name: 'forgets that the client may have left while it waited, and registers a ghost',
    file: 'server/claim-name.ts',
    change: [{ from: "    if (client.closed) return 'gone'; // it hung up while it waited: never register a ghost\n", to: '' }],
    says: "return 'gone'",
  },
  {
    name: 'a mutex that wakes the newest waiter first (pop instead of shift)',
    file: 'server/mutex.ts',
    change: [{ from: 'const next = this.waiters.shift();', to: 'const next = this.waiters.pop();' }],
    says: 'first come, first served',
  },
  {
    name: 'a mutex that does not release when the task throws (no finally)',
    file: 'server/mutex.ts',
    change: [
      {
        from: '    try {\n      return await task();\n    } finally {\n      release();\n    }',
        to: '    const result = await task();\n    release();\n    return result;',
      },
    ],
    says: 'release it in a finally block',
  },
  {
    name: 'a mutex that frees the lock and then wakes the next waiter, so a newcomer barges in',
    file: 'server/mutex.ts',
    change: [
      { from: '    } else {\n      this.locked = true;\n    }', to: '    }\n    this.locked = true;' },
      { from: '      const next = this.waiters.shift();', to: '      this.locked = false;\n      const next = this.waiters.shift();' },
      { from: '\n      else this.locked = false;', to: '' },
    ],
    says: 'hands the lock straight to the first waiter',
  },
  {
    name: 'a mutex that only checks a flag, with no queue: waiters poll for it with setTimeout',
    file: 'server/mutex.ts',
    change: [
      {
        from: '      await new Promise<void>((wake) => this.waiters.push(wake));',
        to: '      while (this.locked) await new Promise<void>((retry) => setTimeout(retry, 1));\n      this.locked = true;',
      },
      { from: '      const next = this.waiters.shift();', to: '      this.locked = false;' },
      { from: '      if (next) next(); // hand over: resolving a promise only queues the waiter, no recursion\n      else this.locked = false;\n', to: '' },
    ],
    says: 'hands the lock straight to the first waiter',
  },
  {
    name: 'tests client.closed before awaiting the store, so a client that leaves during the check is registered',
    file: 'server/claim-name.ts',
    change: [
      {
        from: "    if (await ctx.names.isReserved(name)) return 'reserved';\n    if (client.closed) return 'gone'; // it hung up while it waited: never register a ghost\n",
        to: "    if (client.closed) return 'gone';\n    if (await ctx.names.isReserved(name)) return 'reserved';\n",
      },
    ],
    says: 'The client.closed test ran before the await',
  },
  {
    name: 'never asks the name store, so reserved names are handed out',
    file: 'server/claim-name.ts',
    change: [{ from: "    if (await ctx.names.isReserved(name)) return 'reserved';\n", to: '' }],
    says: 'which the name store says is reserved',
  },
];
