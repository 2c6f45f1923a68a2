import { instantKey } from '../timestamps';
/**
 * The OData `$filter` subset the Referrals list API documents (get-a-list-of-referrals):
 * `eq ne gt ge lt le`, `and or not`, parentheses, property paths (`customerProfile/address/country`),
 * `any`/`all` lambdas (`team/any(t:t/email eq 'x@y')`), `contains/startswith/endswith/tolower/toupper`,
 * and string, number, boolean, null, GUID and date-time literals. Pure: parse once, test many.
 */
export class FilterSyntaxError extends Error {}

type Literal = string | number | boolean | null;

type Node =
  | { kind: 'literal'; value: Literal; dateTime?: boolean }
  | { kind: 'path'; segments: string[] }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'compare'; op: string; left: Node; right: Node }
  | { kind: 'logical'; op: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | {
      kind: 'lambda';
      path: Node & { kind: 'path' };
      quantifier: 'any' | 'all';
      variable?: string;
      body?: Node;
    };

type Token = { type: 'punct' | 'word' | 'string' | 'number' | 'datetime'; text: string };

const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper']);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
    } else if ('()/,:'.includes(ch)) {
      tokens.push({ type: 'punct', text: ch });
      i += 1;
    } else if (ch === "'") {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= input.length)
          throw new FilterSyntaxError('Unterminated string literal in $filter.');
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += input[i];
        i += 1;
      }
      tokens.push({ type: 'string', text });
    } else if (/[0-9-]/.test(ch)) {
      const m = /^-?[0-9][0-9A-Za-z.:+-]*/.exec(input.slice(i));
      if (!m) throw new FilterSyntaxError(`Unexpected '${ch}' in $filter.`);
      const text = m[0];
      if (DATE_TIME.test(text)) tokens.push({ type: 'datetime', text });
      else if (GUID.test(text)) tokens.push({ type: 'string', text });
      else if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?$/.test(text)) {
        tokens.push({ type: 'number', text: text.replace(/[mMdDfFlL]$/, '') });
      } else throw new FilterSyntaxError(`Invalid literal '${text}' in $filter.`);
      i += text.length;
    } else if (/[A-Za-z_@$]/.test(ch)) {
      const m = /^[A-Za-z_@$][A-Za-z0-9_.@$]*/.exec(input.slice(i)) as RegExpExecArray;
      const text = m[0];
      // An unquoted GUID may start with letters: read it whole.
      const guid = /^[0-9a-fA-F-]{36}/.exec(input.slice(i));
      if (guid && GUID.test(guid[0])) {
        tokens.push({ type: 'string', text: guid[0] });
        i += 36;
        continue;
      }
      tokens.push({ type: 'word', text });
      i += text.length;
    } else {
      throw new FilterSyntaxError(`Unexpected '${ch}' in $filter.`);
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    if (this.pos < this.tokens.length) {
      throw new FilterSyntaxError(`Unexpected '${this.peek()?.text}' in $filter.`);
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.type === 'word' && t.text.toLowerCase() === word;
  }

  /**
   * Punctuation is matched by token type as well as text: a string literal such as '(' or ','
   * has the same text as the punctuation but is a value, never structure.
   */
  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.type === 'punct' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text)) throw new FilterSyntaxError(`Expected '${text}' in $filter.`);
    this.pos += 1;
  }

  private or(): Node {
    let left = this.and();
    while (this.isWord('or')) {
      this.pos += 1;
      left = { kind: 'logical', op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (this.isWord('and')) {
      this.pos += 1;
      left = { kind: 'logical', op: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    if (this.isWord('not')) {
      this.pos += 1;
      return { kind: 'not', operand: this.unary() };
    }
    const left = this.operand();
    const t = this.peek();
    if (t?.type === 'word' && COMPARE_OPS.has(t.text.toLowerCase())) {
      this.pos += 1;
      return { kind: 'compare', op: t.text.toLowerCase(), left, right: this.operand() };
    }
    return left;
  }

  private operand(): Node {
    const t = this.peek();
    if (!t) throw new FilterSyntaxError('Unexpected end of $filter.');
    if (this.isPunct('(')) {
      this.pos += 1;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    this.pos += 1;
    if (t.type === 'string') return { kind: 'literal', value: t.text };
    if (t.type === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.type === 'datetime') return { kind: 'literal', value: t.text, dateTime: true };
    if (t.type !== 'word') throw new FilterSyntaxError(`Unexpected '${t.text}' in $filter.`);
    const word = t.text;
    const lower = word.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true' };
    if (lower === 'null') return { kind: 'literal', value: null };
    if (this.isPunct('(') && FUNCTIONS.has(lower)) {
      this.pos += 1;
      const args: Node[] = [this.or()];
      while (this.isPunct(',')) {
        this.pos += 1;
        args.push(this.or());
      }
      this.expect(')');
      return { kind: 'call', name: lower, args };
    }
    const segments = [word];
    while (this.isPunct('/')) {
      this.pos += 1;
      const next = this.peek();
      if (next?.type !== 'word') throw new FilterSyntaxError('Expected a property name after "/".');
      this.pos += 1;
      const quantifier = next.text.toLowerCase();
      if ((quantifier === 'any' || quantifier === 'all') && this.isPunct('(')) {
        return this.lambda({ kind: 'path', segments }, quantifier);
      }
      segments.push(next.text);
    }
    return { kind: 'path', segments };
  }

  private lambda(path: Node & { kind: 'path' }, quantifier: 'any' | 'all'): Node {
    this.expect('(');
    if (this.isPunct(')')) {
      this.pos += 1;
      return { kind: 'lambda', path, quantifier };
    }
    const variable = this.peek();
    if (variable?.type !== 'word') throw new FilterSyntaxError('Expected a lambda variable.');
    this.pos += 1;
    this.expect(':');
    const body = this.or();
    this.expect(')');
    return { kind: 'lambda', path, quantifier, variable: variable.text, body };
  }
}

export type Filter = (item: Record<string, unknown>) => boolean;

export function parseFilter(expression: string): Filter {
  const tree = new Parser(tokenize(expression)).parse();
  return (item) => truthy(evaluate(tree, item, new Map()));
}

type Scope = Map<string, unknown>;

function resolvePath(segments: string[], root: unknown, scope: Scope): unknown {
  const [head, ...rest] = segments;
  let current: unknown = head !== undefined && scope.has(head) ? scope.get(head) : root;
  const walk = head !== undefined && scope.has(head) ? rest : segments;
  for (const segment of walk) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function evaluate(node: Node, item: unknown, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return resolvePath(node.segments, item, scope);
    case 'not':
      return !truthy(evaluate(node.operand, item, scope));
    case 'logical': {
      const left = truthy(evaluate(node.left, item, scope));
      if (node.op === 'and') return left && truthy(evaluate(node.right, item, scope));
      return left || truthy(evaluate(node.right, item, scope));
    }
    case 'compare':
      return compare(
        node.op,
        evaluate(node.left, item, scope),
        evaluate(node.right, item, scope),
        isDateLiteral(node.left) || isDateLiteral(node.right),
      );
    case 'call':
      return call(
        node.name,
        node.args.map((a) => evaluate(a, item, scope)),
      );
    case 'lambda': {
      const collection = resolvePath(node.path.segments, item, scope);
      const list = Array.isArray(collection) ? collection : [];
      if (!node.body || !node.variable) return node.quantifier === 'any' ? list.length > 0 : true;
      const { body, variable } = node;
      const test = (element: unknown) =>
        truthy(evaluate(body, item, new Map(scope).set(variable, element)));
      return node.quantifier === 'any' ? list.some(test) : list.every(test);
    }
  }
}

function isDateLiteral(node: Node): boolean {
  return node.kind === 'literal' && node.dateTime === true;
}

const truthy = (v: unknown): boolean => v === true;

/** Date-times compare to the 100 ns, as Partner Center stores them (seven fractional digits). */
const asTime = instantKey;

function compare(op: string, left: unknown, right: unknown, dateContext: boolean): boolean {
  if (left === undefined) left = null;
  if (right === undefined) right = null;
  if (op === 'eq' || op === 'ne') {
    let equal: boolean;
    const lt = asTime(left);
    const rt = asTime(right);
    if (dateContext && lt !== undefined && rt !== undefined) equal = lt === rt;
    else equal = left === right;
    return op === 'eq' ? equal : !equal;
  }
  if (left === null || right === null) return false;
  let a: number | string;
  let b: number | string;
  const lt = asTime(left);
  const rt = asTime(right);
  if (lt !== undefined && rt !== undefined) {
    a = lt;
    b = rt;
  } else if (typeof left === 'number' && typeof right === 'number') {
    a = left;
    b = right;
  } else if (typeof left === 'string' && typeof right === 'string') {
    a = left;
    b = right;
  } else {
    return false;
  }
  switch (op) {
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

function call(name: string, args: unknown[]): unknown {
  const [a, b] = args;
  if (name === 'tolower') return typeof a === 'string' ? a.toLowerCase() : null;
  if (name === 'toupper') return typeof a === 'string' ? a.toUpperCase() : null;
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (name === 'contains') return a.includes(b);
  if (name === 'startswith') return a.startsWith(b);
  return a.endsWith(b);
}
