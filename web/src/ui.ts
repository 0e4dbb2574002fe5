// Shared pieces of the console's views: labelled form fields with their error slots,
// problem display, status badges, the app context passed to every view.
import type { Api, User } from './api';
import { ProblemError } from './api';
import { h, replace, uid } from './dom';
import type { Route } from './routes';
import { t, tKnown } from './i18n';

export interface Ctx {
  api: Api;
  user: User;
  go(route: Route): void;
  announce(message: string): void; // polite live region for screen readers and a visible note
}

export interface Field {
  wrapper: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  setError(reason: string | undefined): void;
}

// A label, a control, and an error message tied to it with aria-describedby.
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  name: string,
): Field {
  const id = control.id || uid(`f-${name}`);
  control.id = id;
  control.name = name;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const wrapper = h('div', { class: 'field', 'data-field': name }, h('label', { for: id }, label), control, err);
  return {
    wrapper,
    control,
    setError(reason) {
      err.textContent = reason ?? '';
      err.hidden = !reason;
      if (reason) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', err.id);
      } else {
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
      }
    },
  };
}

export function input(type: string, value: string | null | undefined, extra: Record<string, string | boolean> = {}) {
  const el = h('input', { type, ...extra });
  el.value = value ?? '';
  return el;
}

export function select(options: [string, string][], value: string | null | undefined) {
  const el = h('select', {}, ...options.map(([v, label]) => h('option', { value: v }, label)));
  el.value = value ?? options[0]?.[0] ?? '';
  return el;
}

// A problem's title in the console's language, by its type (urn:parley:problem:<slug>);
// the server's own words for a type the catalogue does not know.
export function problemTitle(p: ProblemError): string {
  const slug = p.type.replace(/^urn:parley:problem:/, '');
  return tKnown('problem', slug) === slug ? p.title : tKnown('problem', slug);
}

export function problemBox(err: unknown, detail?: string): HTMLElement {
  const p = err instanceof ProblemError ? err : null;
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('strong', {}, p ? problemTitle(p) : t('common.errorTitle')),
    h('p', {}, detail ?? (p ? p.detail : String(err))),
    // What the server says of each field or part (e.g. each paragraph with open brackets).
    p && p.errors.length ? h('ul', {}, p.errors.map((e) => h('li', {}, e.reason))) : '',
  );
}

// Shows a problem's field errors next to the fields that have them; returns whether
// any field took one (the caller then shows a summary instead of the raw detail).
export function showFieldErrors(fields: Record<string, Field>, err: unknown): boolean {
  let any = false;
  for (const [name, f] of Object.entries(fields)) {
    const reason = err instanceof ProblemError ? err.fieldError(name) : undefined;
    f.setError(reason);
    if (reason && !any) {
      f.control.focus();
      any = true;
    }
  }
  return any;
}

export function badge(status: string): HTMLElement {
  return h('span', { class: `badge badge-${status}` }, tKnown('status', status));
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

// A forum's screen (the work plan's) opened without naming the forum: a placeholder that
// goes on to the user's default forum (`go`), or asks to choose one when there is none.
export function forumPlaceholder(ctx: Ctx, title: string, go: (forum: string) => void): HTMLElement {
  const placeholder = h('main', { id: 'main' }, loading());
  void defaultForum(ctx).then((forum) => {
    if (forum) go(forum);
    else replace(placeholder, h('h1', {}, title), h('p', {}, t('wp.chooseForum')));
  });
  return placeholder;
}

// The forum a user works in by default: a secretariat's own, else its state's first.
export async function defaultForum(ctx: Ctx): Promise<string> {
  if (ctx.user.forum) return ctx.user.forum;
  if (!ctx.user.state) return '';
  try {
    const s = await ctx.api.get<{ forums: string[] }>(`/states/${ctx.user.state}`);
    return s.forums[0] ?? '';
  } catch {
    return '';
  }
}

// A form's action: its fields' errors cleared, the call made, then either done (announced)
// or the problem shown on the fields it names, else in `out`.
export async function runForm(ctx: Ctx, out: HTMLElement, fields: Record<string, Field>, f: () => Promise<unknown>, done: () => void) {
  out.replaceChildren();
  for (const x of Object.values(fields)) x.setError(undefined);
  try {
    await f();
    ctx.announce(t('mtg.done'));
    done();
  } catch (err) {
    if (!showFieldErrors(fields, err)) out.append(problemBox(err));
  }
}

// A form of labelled fields and one button, its problems shown in `out`.
export function simpleForm(cls: string, heading: string, fields: Record<string, Field>, label: string, onSubmit: (out: HTMLElement) => void): HTMLElement {
  const out = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: `contact-form ${cls}`, novalidate: true }, h('h3', {}, heading),
    Object.values(fields).map((f) => f.wrapper), h('button', { type: 'submit' }, label), out);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit(out);
  });
  return form;
}
