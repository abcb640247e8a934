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
];
