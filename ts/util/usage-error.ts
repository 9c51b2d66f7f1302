// A user mistake: a bad flag, value or combination, or a request the machine cannot serve (a port in use). Its
// message is the one line the user sees, and the command exits 2.
export class UsageError extends Error {
  override name = 'UsageError';
}
