// A very small stand-in for the browser's document, for unit tests of code that builds
// elements through dom.ts (vitest runs in Node, without a DOM). It records what is built
// and refuses innerHTML outright, so a test shows that server text only ever becomes text.
export class FakeNode {
  childNodes: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  constructor(readonly nodeType: number) {}
  appendChild(child: FakeNode): FakeNode {
    this.childNodes.push(child);
    child.parentNode = this;
    return child;
  }
  replaceChildren(...children: FakeNode[]): void {
    this.childNodes = [];
    for (const c of children) this.appendChild(c);
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
}

export class FakeText extends FakeNode {
  constructor(readonly data: string) {
    super(3);
  }
  override get textContent(): string {
    return this.data;
  }
}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, EventListener[]>();
  constructor(readonly tagName: string) {
    super(1);
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  addEventListener(type: string, f: EventListener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), f]);
  }
  set innerHTML(_html: string) {
    throw new Error('innerHTML is never used');
  }
  get className(): string {
    return this.attributes.get('class') ?? '';
  }
}

// Installs the fake as globalThis.document; returns what puts the previous one back.
export function installFakeDom(): () => void {
  const g = globalThis as unknown as { document?: unknown };
  const previous = g.document;
  g.document = {
    createElement: (tag: string) => new FakeElement(tag.toUpperCase()),
    createTextNode: (text: string) => new FakeText(text),
  };
  return () => {
    g.document = previous;
  };
}

// Every element below a node, depth first.
export function elementsOf(node: FakeNode): FakeElement[] {
  const out: FakeElement[] = [];
  for (const c of node.childNodes) {
    if (c instanceof FakeElement) out.push(c);
    out.push(...elementsOf(c));
  }
  return out;
}
