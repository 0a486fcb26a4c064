import { setupServer } from 'msw/node';

/**
 * The in-process network: no handlers until a scenario adds its simulation's (`server.use`), and an
 * unhandled request is an error, never a silent pass-through.
 */
export const server = setupServer();
