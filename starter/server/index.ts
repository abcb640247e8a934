// Every server piece of this tree, in the shape app/server/server.ts wires together.
// Each comes from its own file; the comment names the lesson that builds it.

import type { ServerPieces } from '../../app/server/types.js';
import { listen } from './listen.js'; // lesson 2
import { Registry } from './registry.js'; // lesson 3
import { LineDecoder } from './line-decoder.js'; // lesson 4
import { handshake } from './handshake.js'; // lesson 5
import { handleLine } from './commands.js'; // lesson 6
import { Mutex } from './mutex.js'; // lesson 7
import { claimName } from './claim-name.js'; // lesson 7
import { RateLimiter } from './rate-limiter.js'; // lesson 9
import { stripControl } from './strip-control.js'; // lesson 9

export const pieces: ServerPieces = { listen, Registry, LineDecoder, handshake, handleLine, Mutex, claimName, RateLimiter, stripControl };
