// Hash routes of the console (#/states/KAZ ...): parsing and building. Pure functions.
export type Route =
  | { name: 'signin' }
  | { name: 'home' }
  | { name: 'directory'; query: Record<string, string> }
  | { name: 'state'; alpha3: string }
  | { name: 'contact'; id: number }
  | { name: 'contact-edit'; id: number }
  | { name: 'contact-new'; state: string }
  | { name: 'nominations' }
  | { name: 'forums' }
  | { name: 'forum'; code: string }
  | { name: 'witnesses'; forum?: string }
  | { name: 'profile' }
  | { name: 'hotline'; query: Record<string, string> }
  | { name: 'communication'; id: number }
  | { name: 'compose'; query: Record<string, string> }
  | { name: 'checks' }
  | { name: 'check'; id: number }
  | { name: 'threats'; query: Record<string, string> }
  | { name: 'incident-new' }
  | { name: 'negotiations'; query: Record<string, string> }
  | { name: 'negotiation'; id: number; rev?: number }
  | { name: 'negotiation-compare'; id: number; from: number; to: number }
  | { name: 'invitation'; secret: string }
  | { name: 'accounts' }
  | { name: 'invitations' }
  | { name: 'reconfirmations' }
  | { name: 'reconfirmation'; forum: string; id: number }
  | { name: 'directory-import' }
  | { name: 'ledger' }
  | { name: 'library'; query: Record<string, string> }
  | { name: 'contribution'; id: number }
  | { name: 'contribution-new' }
  | { name: 'contribution-edit'; id: number }
  | { name: 'glossary'; query: Record<string, string> }
  | { name: 'term'; id: number }
  | { name: 'term-compare'; id: number; lang?: string }
  | { name: 'workplan'; query: Record<string, string> }
  | { name: 'implementation'; alpha3: string; query: Record<string, string> }
  | { name: 'meetings'; query: Record<string, string> }
  | { name: 'meeting'; id: number }
  | { name: 'activities'; query: Record<string, string> }
  | { name: 'activity'; id: number }
  | { name: 'capacity'; query: Record<string, string> }
  | { name: 'week'; query: Record<string, string> }
  | { name: 'plans'; query: Record<string, string> }
  | { name: 'plan'; id: number }
  | { name: 'review'; query: Record<string, string> }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?', 2);
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(qs)) query[k] = v;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const id = (s: string | undefined) => (s && /^\d{1,15}$/.test(s) ? Number(s) : NaN);
  // The root is the user's home (a secretariat's week, else the directory); the root
  // with a query is the directory's search, as older links name it.
  if (parts.length === 0) return Object.keys(query).length ? { name: 'directory', query } : { name: 'home' };
  if (parts.length === 1 && parts[0] === 'directory') return { name: 'directory', query };
  if (parts[0] === 'signin' && parts.length === 1) return { name: 'signin' };
  if (parts[0] === 'nominations' && parts.length === 1) return { name: 'nominations' };
  if (parts[0] === 'forums' && parts.length === 1) return { name: 'forums' };
  if (parts[0] === 'forums' && parts.length === 2 && /^[A-Za-z][A-Za-z0-9_-]{1,15}$/.test(parts[1]))
    return { name: 'forum', code: parts[1].toUpperCase() };
  if (parts[0] === 'witnesses' && parts.length === 1) return { name: 'witnesses' };
  if (parts[0] === 'witnesses' && parts.length === 2 && /^[A-Za-z][A-Za-z0-9_-]{1,15}$/.test(parts[1]))
    return { name: 'witnesses', forum: parts[1].toUpperCase() };
  if (parts[0] === 'profile' && parts.length === 1) return { name: 'profile' };
  if (parts[0] === 'invitation' && parts.length === 2 && /^[A-Za-z0-9_-]{1,128}$/.test(parts[1]))
    return { name: 'invitation', secret: parts[1] };
  if (parts[0] === 'accounts' && parts.length === 1) return { name: 'accounts' };
  if (parts[0] === 'invitations' && parts.length === 1) return { name: 'invitations' };
  if (parts[0] === 'hotline' && parts.length === 1) return { name: 'hotline', query };
  if (parts[0] === 'hotline' && parts[1] === 'new' && parts.length === 2) return { name: 'compose', query };
  if (parts[0] === 'hotline' && parts.length === 2 && !Number.isNaN(id(parts[1])))
    return { name: 'communication', id: id(parts[1]) };
  if (parts[0] === 'checks' && parts.length === 1) return { name: 'checks' };
  if (parts[0] === 'reconfirmations' && parts.length === 1) return { name: 'reconfirmations' };
  if (parts[0] === 'reconfirmations' && parts.length === 3 && /^[A-Za-z0-9_-]{1,20}$/.test(parts[1]) && !Number.isNaN(id(parts[2])))
    return { name: 'reconfirmation', forum: parts[1].toUpperCase(), id: id(parts[2]) };
  if (parts[0] === 'directory' && parts[1] === 'import' && parts.length === 2) return { name: 'directory-import' };
  if (parts[0] === 'ledger' && parts.length === 1) return { name: 'ledger' };
  if (parts[0] === 'threats' && parts.length === 1) return { name: 'threats', query };
  if (parts[0] === 'threats' && parts[1] === 'report' && parts.length === 2) return { name: 'incident-new' };
  if (parts[0] === 'negotiation' && parts.length === 1) return { name: 'negotiations', query };
  if (parts[0] === 'negotiation' && parts.length === 2 && !Number.isNaN(id(parts[1]))) return { name: 'negotiation', id: id(parts[1]) };
  if (parts[0] === 'negotiation' && parts.length === 3 && parts[2] === 'compare' && !Number.isNaN(id(parts[1])) &&
      !Number.isNaN(id(query.from)) && !Number.isNaN(id(query.to)))
    return { name: 'negotiation-compare', id: id(parts[1]), from: id(query.from), to: id(query.to) };
  if (parts[0] === 'negotiation' && parts.length === 3 && !Number.isNaN(id(parts[1])) && !Number.isNaN(id(parts[2])))
    return { name: 'negotiation', id: id(parts[1]), rev: id(parts[2]) };
  if (parts[0] === 'checks' && parts.length === 2 && !Number.isNaN(id(parts[1]))) return { name: 'check', id: id(parts[1]) };
  if (parts[0] === 'library' && parts.length === 1) return { name: 'library', query };
  if (parts[0] === 'library' && parts[1] === 'new' && parts.length === 2) return { name: 'contribution-new' };
  if (parts[0] === 'library' && parts.length === 2 && !Number.isNaN(id(parts[1]))) return { name: 'contribution', id: id(parts[1]) };
  if (parts[0] === 'library' && parts.length === 3 && parts[2] === 'edit' && !Number.isNaN(id(parts[1])))
    return { name: 'contribution-edit', id: id(parts[1]) };
  if (parts[0] === 'glossary' && parts.length === 1) return { name: 'glossary', query };
  if (parts[0] === 'workplan' && parts.length === 1) return { name: 'workplan', query };
  if (parts[0] === 'workplan' && parts.length === 2 && parts[1] === 'meetings') return { name: 'meetings', query };
  if (parts[0] === 'workplan' && parts.length === 2 && parts[1] === 'activities') return { name: 'activities', query };
  if (parts[0] === 'workplan' && parts.length === 2 && parts[1] === 'capacity') return { name: 'capacity', query };
  if (parts[0] === 'workplan' && parts.length === 2 && parts[1] === 'week') return { name: 'week', query };
  if (parts[0] === 'workplan' && parts.length === 2 && parts[1] === 'plans') return { name: 'plans', query };
  if (parts[0] === 'workplan' && parts.length === 2 && parts[1] === 'review') return { name: 'review', query };
  if (parts[0] === 'workplan' && parts.length === 3 && parts[1] === 'plans' && !Number.isNaN(id(parts[2])))
    return { name: 'plan', id: id(parts[2]) };
  if (parts[0] === 'workplan' && parts.length === 3 && parts[1] === 'activities' && !Number.isNaN(id(parts[2])))
    return { name: 'activity', id: id(parts[2]) };
  if (parts[0] === 'workplan' && parts.length === 3 && parts[1] === 'meetings' && !Number.isNaN(id(parts[2])))
    return { name: 'meeting', id: id(parts[2]) };
  if (parts[0] === 'workplan' && parts.length === 3 && parts[1] === 'states' && /^[A-Za-z]{3}$/.test(parts[2]))
    return { name: 'implementation', alpha3: parts[2].toUpperCase(), query };
  if (parts[0] === 'glossary' && parts.length === 2 && !Number.isNaN(id(parts[1]))) return { name: 'term', id: id(parts[1]) };
  if (parts[0] === 'glossary' && parts.length === 3 && parts[2] === 'compare' && !Number.isNaN(id(parts[1]))) {
    const lang = query.lang && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(query.lang) ? query.lang : undefined;
    return lang ? { name: 'term-compare', id: id(parts[1]), lang } : { name: 'term-compare', id: id(parts[1]) };
  }
  if (parts[0] === 'states' && parts.length === 2 && /^[A-Za-z]{3}$/.test(parts[1]))
    return { name: 'state', alpha3: parts[1].toUpperCase() };
  if (parts[0] === 'contacts' && parts[1] === 'new' && parts.length === 2)
    return { name: 'contact-new', state: (query.state ?? '').toUpperCase() };
  if (parts[0] === 'contacts' && parts.length === 2 && !Number.isNaN(id(parts[1])))
    return { name: 'contact', id: id(parts[1]) };
  if (parts[0] === 'contacts' && parts.length === 3 && parts[2] === 'edit' && !Number.isNaN(id(parts[1])))
    return { name: 'contact-edit', id: id(parts[1]) };
  return { name: 'not-found', path };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'signin':
      return '#/signin';
    case 'home':
      return '#/';
    case 'directory': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/directory?${qs}` : '#/directory';
    }
    case 'state':
      return `#/states/${route.alpha3}`;
    case 'contact':
      return `#/contacts/${route.id}`;
    case 'contact-edit':
      return `#/contacts/${route.id}/edit`;
    case 'contact-new':
      return `#/contacts/new?state=${encodeURIComponent(route.state)}`;
    case 'nominations':
      return '#/nominations';
    case 'forums':
      return '#/forums';
    case 'forum':
      return `#/forums/${encodeURIComponent(route.code)}`;
    case 'witnesses':
      return route.forum ? `#/witnesses/${encodeURIComponent(route.forum)}` : '#/witnesses';
    case 'profile':
      return '#/profile';
    case 'hotline': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/hotline?${qs}` : '#/hotline';
    }
    case 'communication':
      return `#/hotline/${route.id}`;
    case 'compose': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/hotline/new?${qs}` : '#/hotline/new';
    }
    case 'checks':
      return '#/checks';
    case 'check':
      return `#/checks/${route.id}`;
    case 'threats': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/threats?${qs}` : '#/threats';
    }
    case 'incident-new':
      return '#/threats/report';
    case 'negotiations': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/negotiation?${qs}` : '#/negotiation';
    }
    case 'negotiation':
      return route.rev === undefined ? `#/negotiation/${route.id}` : `#/negotiation/${route.id}/${route.rev}`;
    case 'negotiation-compare':
      return `#/negotiation/${route.id}/compare?from=${route.from}&to=${route.to}`;
    case 'invitation':
      return `#/invitation/${route.secret}`;
    case 'accounts':
      return '#/accounts';
    case 'invitations':
      return '#/invitations';
    case 'reconfirmations':
      return '#/reconfirmations';
    case 'reconfirmation':
      return `#/reconfirmations/${encodeURIComponent(route.forum)}/${route.id}`;
    case 'directory-import':
      return '#/directory/import';
    case 'ledger':
      return '#/ledger';
    case 'library': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/library?${qs}` : '#/library';
    }
    case 'contribution':
      return `#/library/${route.id}`;
    case 'contribution-new':
      return '#/library/new';
    case 'contribution-edit':
      return `#/library/${route.id}/edit`;
    case 'glossary': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/glossary?${qs}` : '#/glossary';
    }
    case 'term':
      return `#/glossary/${route.id}`;
    case 'term-compare':
      return route.lang ? `#/glossary/${route.id}/compare?lang=${encodeURIComponent(route.lang)}` : `#/glossary/${route.id}/compare`;
    case 'workplan': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/workplan?${qs}` : '#/workplan';
    }
    case 'implementation': {
      const qs = new URLSearchParams(route.query).toString();
      return `#/workplan/states/${route.alpha3}${qs ? `?${qs}` : ''}`;
    }
    case 'meetings': {
      const qs = new URLSearchParams(route.query).toString();
      return qs ? `#/workplan/meetings?${qs}` : '#/workplan/meetings';
    }
    case 'meeting':
      return `#/workplan/meetings/${route.id}`;
    case 'activities':
    case 'capacity':
    case 'week':
    case 'plans':
    case 'review': {
      const qs = new URLSearchParams(route.query).toString();
      return `#/workplan/${route.name}${qs ? `?${qs}` : ''}`;
    }
    case 'activity':
      return `#/workplan/activities/${route.id}`;
    case 'plan':
      return `#/workplan/plans/${route.id}`;
    case 'not-found':
      return `#${route.path}`;
  }
}
