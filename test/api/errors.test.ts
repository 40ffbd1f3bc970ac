/** Every error the API answers carries its HTTP status, code and client message (issue 17 §4). */
import { describe, expect, it } from 'vitest';
import { AppError, isHttpError } from '../../functions/service/errors.ts';
import {
  BadCursorError,
  ConflictError,
  RetryableError,
  StorageError,
} from '../../functions/storage/types.ts';
import { InternalError } from '../../src/errors/internal.ts';

describe('HttpError', () => {
  const answered: { name: string; err: Error; status: number; code: string; clientMessage: string }[] = [
    {
      name: 'a forbidden AppError',
      err: new AppError('forbidden', 'no'),
      status: 403,
      code: 'forbidden',
      clientMessage: 'no',
    },
    {
      name: 'a foreign paging cursor',
      err: new BadCursorError('invalid cursor'),
      status: 400,
      code: 'bad_request',
      clientMessage: 'invalid cursor',
    },
    {
      name: 'a throttled store, its own words kept for the log',
      err: new RetryableError('ProvisionedThroughputExceeded'),
      status: 503,
      code: 'unavailable',
      clientMessage: 'the store is busy; retry shortly',
    },
    {
      name: 'a bug outside grading',
      err: new InternalError('loader', 'broken invariant'),
      status: 500,
      code: 'internal',
      clientMessage: 'internal error',
    },
    {
      name: 'a bug while grading a known input',
      err: new InternalError('simulator', 'boom', { inputDigest: 'sha256:00' }),
      status: 500,
      code: 'internal',
      clientMessage: expect.stringMatching(
        /^podlab failed while grading this submission/,
      ) as unknown as string,
    },
  ];
  for (const { name, err, status, code, clientMessage } of answered) {
    it(`answers ${name}`, () => {
      expect(isHttpError(err)).toBe(true);
      expect({ status: (err as AppError).status, code: (err as AppError).code }).toEqual({ status, code });
      expect((err as AppError).clientMessage).toEqual(clientMessage);
    });
  }

  const opaque: { name: string; err: unknown }[] = [
    { name: 'a lost conditional write', err: new ConflictError('exists') },
    { name: 'any other storage failure', err: new StorageError('socket hang up') },
    { name: 'a TypeError', err: new TypeError('x is undefined') },
    { name: 'a thrown string', err: 'boom' },
  ];
  for (const { name, err } of opaque) {
    it(`leaves ${name} to the opaque 500`, () => expect(isHttpError(err)).toBe(false));
  }
});
