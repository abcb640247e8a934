import type { Mistake } from './mistake.js';

export const mistakes: Mistake[] = [
  {
    name: 'tells the room but not the user who changed status',
    file: 'server/statuses.ts',
    change: [{ from: "ctx.registry.broadcast(encodeEvent({ type: 'status', user: client.name, ...entry }));", to: "ctx.registry.broadcast(encodeEvent({ type: 'status', user: client.name, ...entry }), client);" }],
    says: 'the user included',
  },
  {
    name: 'cuts the note with slice(), in code units',
    file: 'server/statuses.ts',
    change: [{ from: '[...ctx.pieces.stripControl(args).trim()].slice(0, NOTE_LIMIT).join(\'\')', to: 'ctx.pieces.stripControl(args).trim().slice(0, NOTE_LIMIT)' }],
    says: 'not note.slice()',
  },
  {
    name: 'sends an empty note as note: ""',
    file: 'server/statuses.ts',
    change: [{ from: "const entry: StatusEntry = note === '' ? { status } : { status, note };", to: 'const entry: StatusEntry = { status, note };' }],
    says: 'an empty note is none',
  },
  {
    name: 'does not strip control characters from the note',
    file: 'server/statuses.ts',
    change: [{ from: '[...ctx.pieces.stripControl(args).trim()]', to: '[...args.trim()]' }],
    says: 'control characters stripped',
  },
  {
    name: 'keeps statuses by name, so the next login with the name inherits it',
    file: 'server/statuses.ts',
    change: [
      { from: 'private readonly entries = new WeakMap<Client, StatusEntry>();', to: 'private readonly byName = new Map<string, StatusEntry>();\n  private readonly entries = { get: (c: Client) => this.byName.get(c.name.toLowerCase()), set: (c: Client, e: StatusEntry) => this.byName.set(c.name.toLowerCase(), e), delete: (c: Client) => this.byName.delete(c.name.toLowerCase()) };' },
    ],
    says: 'a new login starts online',
  },
  {
    name: 'builds statuses by assignment, so __proto__ vanishes',
    file: 'server/statuses.ts',
    change: [
      {
        from: "return Object.fromEntries(names.flatMap((name) => {\n      const client = ctx.registry.find(name);\n      const entry = client && this.entries.get(client);\n      return entry ? [[name, entry]] : [];\n    }));",
        to: "const statuses: Record<string, StatusEntry> = {};\n    for (const name of names) {\n      const client = ctx.registry.find(name);\n      const entry = client && this.entries.get(client);\n      if (entry) statuses[name] = entry;\n    }\n    return statuses;",
      },
    ],
    says: 'Object.fromEntries',
  },
  {
    name: '/back keeps an entry saying online',
    file: 'server/statuses.ts',
    change: [{ from: "if (status === 'online') this.entries.delete(client);\n    else this.entries.set(client, entry);", to: 'this.entries.set(client, entry);' }],
    says: 'he has no entry',
  },
  {
    name: 'leaves the note out of the whisper notice',
    file: 'server/statuses.ts',
    change: [{ from: 'return entry.note ? `${to.name} is ${entry.status}: ${entry.note}` : `${to.name} is ${entry.status}.`;', to: 'return `${to.name} is ${entry.status}.`;' }],
    says: 'bob is away: lunch',
  },
  {
    name: '/back keeps the words after it as a note',
    file: 'server/statuses.ts',
    change: [{ from: "const note = status === 'online' ? '' : [...", to: 'const note = [...' }],
    says: '/back takes no note',
  },
  {
    name: 'trims the note before stripping control characters',
    file: 'server/statuses.ts',
    change: [{ from: '[...ctx.pieces.stripControl(args).trim()]', to: '[...ctx.pieces.stripControl(args.trim())]' }],
    says: 'THEN trimmed',
  },
];
