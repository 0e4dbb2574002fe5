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

// A stand-in for XMLHttpRequest: records what is sent, and answers when told to.
class FakeXhr {
  opened: [string, string] | null = null;
  headers: Record<string, string> = {};
  sent: unknown = null;
  status = 0;
  responseText = '';
  withCredentials = false;
  upload: { onprogress: ((e: ProgressEvent) => void) | null; onload: (() => void) | null } = { onprogress: null, onload: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) { this.opened = [method, url]; }
  setRequestHeader(k: string, v: string) { this.headers[k] = v; }
  send(body: unknown) { this.sent = body; }
  abort() { this.onabort?.(); }
  answer(status: number, body: string) {
    this.status = status;
    this.responseText = body;
    this.onload?.();
  }
}

describe('uploads', () => {
  it('send the file as the raw body with the CSRF token, and report progress', async () => {
    const xhr = new FakeXhr();
    const api = new Api();
    api.csrf = 'tok';
    const seen: [number, number][] = [];
    const file = new Blob(['Статья 1.'], { type: 'text/plain' });
    const done = api.upload<{ id: number }>('PUT', '/library/contributions/4/versions/ru?translation=original&filename=a.txt', file,
      (loaded, total) => seen.push([loaded, total]), () => xhr as unknown as XMLHttpRequest);
    expect(xhr.opened).toEqual(['PUT', '/api/v1/library/contributions/4/versions/ru?translation=original&filename=a.txt']);
    expect(xhr.headers['X-CSRF-Token']).toBe('tok');
    expect(xhr.headers['Content-Type']).toBe('text/plain');
    expect(xhr.sent).toBe(file);
    xhr.upload.onprogress?.({ loaded: 4, total: 16, lengthComputable: true } as ProgressEvent);
    xhr.upload.onload?.();
    xhr.answer(200, '{"id":4}');
    expect(await done).toEqual({ id: 4 });
    expect(seen).toEqual([[4, 16], [file.size, file.size]]);
  });

  it('turn a refusal into a problem with its fields, and a lost connection into one too', async () => {
    const xhr = new FakeXhr();
    const api = new Api();
    const refused = api.upload('PUT', '/x', new Blob(['x']), undefined, () => xhr as unknown as XMLHttpRequest);
    xhr.answer(413, JSON.stringify({ type: 'urn:parley:problem:payload-too-large', title: 'File too large', status: 413,
      errors: [{ field: 'file', reason: 'is larger than 33554432 bytes' }] }));
    const p = (await refused.catch((e) => e)) as ProblemError;
    expect(p).toBeInstanceOf(ProblemError);
    expect(p.status).toBe(413);
    expect(p.fieldError('file')).toBe('is larger than 33554432 bytes');
    const lost = new FakeXhr();
    const failing = api.upload('POST', '/x', new Blob(['x']), undefined, () => lost as unknown as XMLHttpRequest);
    lost.onerror?.();
    expect(((await failing.catch((e) => e)) as ProblemError).status).toBe(0);
  });
});
