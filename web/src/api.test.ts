import { describe, expect, it } from 'vitest';
import { Api, ProblemError, problemFrom, queryString } from './api';
import { setLocale } from './i18n';

function recorder(status: number, body: string) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(status === 204 ? null : body, { status, headers: { 'Content-Type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe('api client', () => {
  it('sends the CSRF token on state-changing requests only', async () => {
    const r = recorder(200, '{"ok":true}');
    const api = new Api(r.fetchImpl);
    api.csrf = 'tok';
    await api.get('/contacts');
    await api.patch('/contacts/1', { name: 'x' });
    const h0 = r.calls[0].init.headers as Record<string, string>;
    const h1 = r.calls[1].init.headers as Record<string, string>;
    expect(h0['X-CSRF-Token']).toBeUndefined();
    expect(h1['X-CSRF-Token']).toBe('tok');
    expect(h1['Content-Type']).toBe('application/json');
    expect(r.calls[1].url).toBe('/api/v1/contacts/1');
  });

  it("sends the console's language as Accept-Language on every request", async () => {
    const r = recorder(200, '{}');
    const api = new Api(r.fetchImpl);
    api.csrf = 'tok';
    setLocale('ru');
    await api.get('/states/KAZ');
    await api.post('/contacts', {});
    setLocale('en');
    await api.delete('/session');
    const lang = r.calls.map((c) => (c.init.headers as Record<string, string>)['Accept-Language']);
    expect(lang).toEqual(['ru', 'ru', 'en']);
  });

  it('turns problem+json into a ProblemError with field errors', async () => {
    const r = recorder(422, JSON.stringify({ type: 'urn:parley:problem:validation-error', title: 'The input is not valid', status: 422,
      detail: 'name: is required', errors: [{ field: 'channels.0.value', reason: 'is not an e-mail address' }] }));
    const api = new Api(r.fetchImpl);
    const err = await api.post('/contacts', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemError);
    const p = err as ProblemError;
    expect(p.status).toBe(422);
    expect(p.fieldError('channels.0.value')).toBe('is not an e-mail address');
    expect(p.fieldError('channels')).toBe('is not an e-mail address');
    expect(p.fieldError('name')).toBeUndefined();
  });

  it('survives a non-JSON error body', () => {
    const p = problemFrom(502, null);
    expect(p.status).toBe(502);
    expect(p.title).toBe('HTTP 502');
    expect(p.errors).toEqual([]);
  });

  it('reports an ended session once, and not for a failed sign-in', async () => {
    const r = recorder(401, JSON.stringify({ type: 'urn:parley:problem:unauthenticated', title: 'Authentication required', status: 401 }));
    const api = new Api(r.fetchImpl);
    let ended = 0;
    api.onSessionEnded = () => (ended += 1);
    await api.post('/session', { username: 'x', password: 'y' }).catch(() => undefined);
    expect(ended).toBe(0);
    api.csrf = 'tok';
    await expect(api.get('/contacts')).rejects.toBeInstanceOf(ProblemError);
    expect(ended).toBe(1);
    expect(api.csrf).toBeNull();
  });

  it('returns undefined for 204', async () => {
    const r = recorder(204, '');
    expect(await new Api(r.fetchImpl).delete('/session')).toBeUndefined();
  });

  it('builds query strings without empty values', () => {
    expect(queryString({ q: 'a b', state: '', type: undefined, limit: 5 })).toBe('?q=a+b&limit=5');
    expect(queryString({})).toBe('');
  });
});
