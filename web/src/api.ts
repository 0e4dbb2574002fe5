// The console's client for /api/v1: JSON in and out, the CSRF token on every
// state-changing request, the console's language as Accept-Language on every request
// (names of states and forums come in it), and RFC 9457 problems turned into ProblemError.
import { locale } from './i18n';

export interface FieldError {
  field: string;
  reason: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[],
  ) {
    super(detail || title);
  }
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.startsWith(field + '.'))?.reason;
  }
}

export function problemFrom(status: number, body: unknown): ProblemError {
  const p = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors = Array.isArray(p.errors)
    ? (p.errors as unknown[]).filter(
        (e): e is FieldError =>
          !!e && typeof (e as FieldError).field === 'string' && typeof (e as FieldError).reason === 'string',
      )
    : [];
  return new ProblemError(
    typeof p.status === 'number' ? p.status : status,
    typeof p.type === 'string' ? p.type : 'about:blank',
    typeof p.title === 'string' ? p.title : `HTTP ${status}`,
    typeof p.detail === 'string' ? p.detail : '',
    errors,
  );
}

// Sending a file as a request's raw body with its progress (XMLHttpRequest: fetch() cannot
// report how much of a body has been sent): a library contribution's language version
// (PUT …/versions/{lang}), a glossary import (POST /glossary/import). The browser sets
// Content-Length from the Blob, which the server requires before it reads the body.
// Answers are read as request() reads them: JSON, or a problem thrown as ProblemError (a
// network failure is a ProblemError with status 0).
export interface UploadOptions {
  method: 'PUT' | 'POST';
  url: string;                 // the full path (/api/v1/…)
  body: Blob;
  headers?: Record<string, string>;
  onProgress?: (loaded: number, total: number) => void;
  // The request object; a test passes a fake.
  makeRequest?: () => XMLHttpRequest;
  signal?: AbortSignal;
}

export function sendFile<T>(opts: UploadOptions): Promise<{ status: number; data: T }> {
  return new Promise((resolve, reject) => {
    const xhr = opts.makeRequest ? opts.makeRequest() : new XMLHttpRequest();
    xhr.open(opts.method, opts.url, true);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(opts.headers ?? {})) xhr.setRequestHeader(k, v);
    if (!opts.headers?.['Content-Type']) xhr.setRequestHeader('Content-Type', opts.body.type || 'application/octet-stream');
    if (opts.onProgress) {
      const report = opts.onProgress;
      xhr.upload.onprogress = (e: ProgressEvent) => report(e.loaded, e.lengthComputable ? e.total : opts.body.size);
      xhr.upload.onload = () => report(opts.body.size, opts.body.size);
    }
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, data: data as T });
      else reject(problemFrom(xhr.status, data));
    };
    xhr.onerror = () => reject(new ProblemError(0, 'about:blank', 'Network error', '', []));
    xhr.onabort = () => reject(new ProblemError(0, 'about:blank', 'Aborted', '', []));
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(opts.body);
  });
}

export function queryString(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  role: 'admin' | 'secretariat' | 'focal_point' | 'poc' | 'observer';
  state: string | null;
  forum: string | null;
  totp_enabled: boolean;
  language?: string | null;   // the console's language the user chose; null: the browser's
  // A second factor must be enrolled before anything else (the server refuses the rest).
  must_enrol_totp?: boolean;
}

export interface Channel {
  kind: string;
  value: string;
  use: string | null;
}

export interface Contact {
  id: number;
  state: string;
  state_name: string;
  agency_id: number | null;
  agency: string | null;
  name: string;
  type: 'policy' | 'technical';
  position: string | null;
  languages: string[];
  timezone: string | null;
  availability: '24/7' | 'office_hours';
  office_hours: string | null;
  channels: Channel[];
  key_fingerprint: string | null;
  nomination_ref: string | null;
  valid_from: string | null;
  valid_until: string | null;
  status: 'active' | 'pending' | 'rejected';
  status_note: string | null;
  nominated_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  version: number;
  expired?: boolean; // past its validity (valid_until before today)
  confirmed_at?: string | null; // when its state last confirmed it
}

export interface Agency {
  id: number;
  state: string;
  name: string;
  kind: string;
}

export interface Forum {
  code: string;
  name: string;
  secretariat: string;
  languages: string[];
  members: number;
}

export interface StateSummary {
  alpha3: string;
  name: string;
  kind: string;
  contacts: number;
  forums: string[];
}

export interface StateDetail {
  alpha3: string;
  name: string;
  kind: string;
  forums: string[];
  agencies: Agency[];
  contacts: Contact[];
  can_manage: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export class Api {
  csrf: string | null = null;
  // Called when a request made with a session is refused as unauthenticated: the
  // session has ended (expired, signed out elsewhere, password changed).
  onSessionEnded: (() => void) | null = null;

  constructor(private readonly fetchImpl: typeof fetch = (...a) => fetch(...a)) {}

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale(), ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrf) h['X-CSRF-Token'] = this.csrf;
    const res = await this.fetchImpl(`/api/v1${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (res.status === 401 && this.csrf && path !== '/session') {
      this.csrf = null;
      this.onSessionEnded?.();
    }
    if (!res.ok) throw problemFrom(res.status, data);
    return data as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  // A document the server renders (an SVG picture, Markdown): its text; problems as request()'s.
  async text(path: string): Promise<string> {
    const res = await this.fetchImpl(`/api/v1${path}`, { headers: { 'Accept-Language': locale() }, credentials: 'same-origin' });
    const body = await res.text();
    if (res.ok) return body;
    let data: unknown = null;
    try {
      data = JSON.parse(body);
    } catch {
      data = null;
    }
    throw problemFrom(res.status, data);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('PATCH', path, body, headers);
  }
  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  // A file as the raw body, with its progress (upload.ts), the same headers as request().
  async upload<T>(method: 'PUT' | 'POST', path: string, body: Blob, onProgress?: (loaded: number, total: number) => void,
    makeRequest?: () => XMLHttpRequest): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale() };
    if (this.csrf) headers['X-CSRF-Token'] = this.csrf;
    try {
      return (await sendFile<T>({ method, url: `/api/v1${path}`, body, headers, onProgress, makeRequest })).data;
    } catch (err) {
      if (err instanceof ProblemError && err.status === 401 && this.csrf) {
        this.csrf = null;
        this.onSessionEnded?.();
      }
      throw err;
    }
  }
}

export interface RecipientState {
  state: string;
  name: string;
  delivered_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  answered_at: string | null;
  escalation_level: number;
  next_escalation_at: string | null;
  ack_deadline_at?: string | null;
  people?: number;
  no_valid_contact?: boolean;
}

// The compose form's address book (GET /hotline/addressees).
export interface Addressee {
  contact_id: number;
  name: string;
  kind: string;
  agency: string | null;
  availability: string;
  office_hours: string | null;
  timezone: string | null;
  valid: boolean;
  expired: boolean;
  valid_until: string | null;
  available_now: boolean;
  next_opening_at: string | null;
}

export interface AddressBook {
  forum: string;
  contact_kinds: string[];
  states: { state: string; contacts: Addressee[] }[];
}

export interface LifecycleEvent {
  at: string;
  kind: string;
  state: string | null;
  actor: string | null;
  detail: string | null;
}

export interface Communication {
  id: number;
  thread_id: number;
  in_reply_to: number | null;
  forum: string;
  type: string;
  contact_kind?: string;
  subject: string;
  description?: string;
  severity: number | null;
  severity_name: string | null;
  tlp: string;
  sector: string | null;
  status: string;
  sender: { state: string | null; username: string; name: string };
  recipients: RecipientState[];
  created_at: string;
  ack_deadline_at: string | null;
  respond_by: string | null;
  closed_at: string | null;
  check_id: number | null;
  requested_action?: string | null;
  incident_started_at?: string | null;
  incident_detected_at?: string | null;
  attachments?: { sha256: string; filename: string; media_type: string; size: number }[];
  stix_refs?: string[];
  lifecycle?: LifecycleEvent[];
  you: { recipient: boolean; unread: boolean; acknowledged_at: string | null; can_acknowledge: boolean; can_reply: boolean; can_close: boolean };
}

export interface CommunicationPage extends Page<Communication> {
  unread: number;
  unacknowledged: number;
}

export interface CheckFigures {
  people: number;
  reached: number;
  acknowledged: number;
  response_rate: number;
  median_seconds: number | null;
  p90_seconds: number | null;
  states: number;
  states_acknowledged: number;
}

export interface CheckReport {
  id: number;
  forum: string;
  communication_id: number;
  started_at: string;
  started_by: string;
  summary: CheckFigures;
  states: {
    state: string;
    name: string;
    reached: number;
    acknowledged: number;
    median_seconds: number | null;
    no_point_of_contact: boolean;
    people: { username: string; name: string; reached: boolean; acknowledged: boolean; seconds_to_acknowledge: number | null }[];
  }[];
}

export interface CheckHistory {
  forum: string;
  items: { id: number; started_at: string; started_by: string; summary: CheckFigures; median_seconds_by_state: Record<string, number | null> }[];
}
