import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'refuses at the limit instead of over it (the count already includes the new connection)',
    file: 'server/handshake.ts',
    change: [{ from: 'ctx.connectionCount > ctx.options.maxClients', to: 'ctx.connectionCount >= ctx.options.maxClients' }],
    says: 'includes the connection being admitted',
  },
  {
    name: 'counts only the users who logged in, not every open connection',
    file: 'server/handshake.ts',
    change: [{ from: 'ctx.connectionCount > ctx.options.maxClients', to: 'ctx.registry.size >= ctx.options.maxClients' }],
    says: 'logged in or not',
  },
  {
    name: 'refuses at the per-address limit instead of over it',
    file: 'server/handshake.ts',
    change: [{ from: 'ctx.connectionsFrom(client.address) > perAddress', to: 'ctx.connectionsFrom(client.address) >= perAddress' }],
    says: 'refuse only when it is over maxPerAddress',
  },
  {
    name: 'takes maxPerAddress 0 as a limit of zero, not as no limit',
    file: 'server/handshake.ts',
    change: [{ from: 'perAddress > 0 && ctx.connectionsFrom', to: 'ctx.connectionsFrom' }],
    says: 'maxPerAddress 0 means no limit',
  },
  {
    name: 'counts only the users from the address who logged in',
    file: 'server/handshake.ts',
    change: [{ from: 'ctx.connectionsFrom(client.address) > perAddress', to: 'ctx.registry.names().filter((name) => ctx.registry.find(name)?.address === client.address).length >= perAddress' }],
    says: 'logged in or not (ctx.connectionsFrom',
  },
  {
    name: 'compares the total count of connections with maxPerAddress',
    file: 'server/handshake.ts',
    change: [{ from: 'ctx.connectionsFrom(client.address) > perAddress', to: 'ctx.connectionCount > perAddress' }],
    says: 'not ctx.connectionCount, which counts every address',
  },
  {
    name: 'keeps a count per address of its own that never goes down',
    file: 'server/handshake.ts',
    change: [
      { from: 'const timeouts = new WeakMap<Client, NodeJS.Timeout>();', to: 'const timeouts = new WeakMap<Client, NodeJS.Timeout>();\nconst opened = new Map<string, number>();' },
      { from: '  if (perAddress > 0 && ctx.connectionsFrom(client.address) > perAddress) {', to: '  opened.set(client.address, (opened.get(client.address) ?? 0) + 1);\n  if (perAddress > 0 && opened.get(client.address)! > perAddress) {' },
    ],
    says: 'goes down however a connection ends',
  },
  {
    name: "keeps a count per address of its own, lowered only by the handshake's errors (not by /quit, a hang-up or a reset)",
    file: 'server/handshake.ts',
    change: [
      { from: 'const timeouts = new WeakMap<Client, NodeJS.Timeout>();', to: 'const timeouts = new WeakMap<Client, NodeJS.Timeout>();\nconst opened = new Map<string, number>();' },
      { from: '  if (perAddress > 0 && ctx.connectionsFrom(client.address) > perAddress) {', to: '  opened.set(client.address, (opened.get(client.address) ?? 0) + 1);\n  if (perAddress > 0 && opened.get(client.address)! > perAddress) {' },
      { from: 'function refuse(client: Client, code: ErrorCode, text: string): void {\n', to: 'function refuse(client: Client, code: ErrorCode, text: string): void {\n  opened.set(client.address, (opened.get(client.address) ?? 1) - 1);\n' },
    ],
    says: 'goes down however a connection ends',
  },
  {
    name: 'checks the name without trimming it',
    file: 'server/handshake.ts',
    change: [{ from: 'const name = line.trim();', to: 'const name = line;' }],
    says: 'trim the line',
  },
  {
    name: 'a regular expression without anchors (accepts "bob smith")',
    file: 'server/handshake.ts',
    change: [{ from: 'const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;', to: 'const NAME_PATTERN = /[A-Za-z0-9_-]+/;' }],
    says: 'anchored with ^ and $',
  },
  {
    name: 'sends the error but forgets to close the connection',
    file: 'server/handshake.ts',
    change: [{ from: '  client.sendEvent({ type: \'error\', code, text });\n  client.close();', to: '  client.sendEvent({ type: \'error\', code, text });' }],
    says: 'the connection stayed open',
  },
  {
    name: 'broadcasts join to everyone, the new user included',
    file: 'server/handshake.ts',
    change: [{ from: "encodeEvent({ type: 'join', user: client.name }), client);", to: "encodeEvent({ type: 'join', user: client.name }));" }],
    says: 'everyone except the new user',
  },
  {
    name: 'takes the list of users before the name is claimed, so the new user is missing from it',
    file: 'server/handshake.ts',
    change: [
      { from: '  const outcome = await ctx.pieces.claimName', to: '  const users = ctx.registry.names();\n  const outcome = await ctx.pieces.claimName' },
      { from: 'users: ctx.registry.names(),', to: 'users,' },
    ],
    says: 'including the new user',
  },
  {
    name: 'starts the handshake timer and never cancels it, so it cuts off users who logged in',
    file: 'server/handshake.ts',
    change: [
      { from: "if (client.name === '') refuse(client, 'TIMEOUT'", to: "refuse(client, 'TIMEOUT'" },
      { from: '      clearTimeout(timeouts.get(client));\n', to: '' },
    ],
    says: 'cancel it (clearTimeout)',
  },
  {
    name: "treats 'gone' like 'ok' (a client that hung up during the check still joins)",
    file: 'server/handshake.ts',
    change: [{ from: "      return; // it hung up while we checked: nobody may ever see it join\n", to: '' }],
    says: "comes back 'gone'",
  },
  {
    name: 'does not wait for the claim (then() instead of await), so the next line is taken for a name',
    file: 'server/handshake.ts',
    change: [
      { from: '  const outcome = await ctx.pieces.claimName(client, name, ctx);\n  switch (outcome) {', to: '  void ctx.pieces.claimName(client, name, ctx).then((outcome) => {\n  switch (outcome) {' },
      { from: "encodeEvent({ type: 'join', user: client.name }), client);\n  }\n}", to: "encodeEvent({ type: 'join', user: client.name }), client);\n  }\n  });\n}" },
    ],
    says: 'handshake() awaits claimName()',
  },
  {
    name: 'forgets timer.unref(), so the handshake timer keeps a stopping server alive',
    file: 'server/handshake.ts',
    change: [{ from: '  timer.unref(); // a pending timer must not keep a stopping server alive\n', to: '' }],
    says: 'timer.unref()',
  },
  {
    name: "writes the lesson's 30 s into the TIMEOUT text instead of the configured time",
    file: 'server/handshake.ts',
    change: [{ from: '`No username within ${ctx.options.handshakeTimeoutMs / 1000} s.`', to: "'No username within 30 s.'" }],
    says: 'not a number written into the text',
  },
];
