// Names of states and forums in the console's language, by code, for screens whose data
// carries the server's default (English) names: taken from /states and /forums, which
// answer in the language the console asks for (Accept-Language). Read afresh for each
// screen; a list that cannot be read gives no names (callers fall back).
import type { Api, Forum, StateSummary } from './api';

export interface Names {
  state(alpha3: string, fallback?: string | null): string;
  forum(code: string, fallback?: string | null): string;
}

export async function localNames(api: Api): Promise<Names> {
  const [states, forums] = await Promise.all([
    api.get<{ items: StateSummary[] }>('/states').then((r) => r.items, () => [] as StateSummary[]),
    api.get<{ items: Forum[] }>('/forums').then((r) => r.items, () => [] as Forum[]),
  ]);
  const stateNames = new Map(states.map((s) => [s.alpha3, s.name]));
  const forumNames = new Map(forums.map((f) => [f.code, f.name]));
  return {
    state: (a3, fallback) => stateNames.get(a3) ?? fallback ?? a3,
    forum: (code, fallback) => forumNames.get(code) ?? fallback ?? code,
  };
}
