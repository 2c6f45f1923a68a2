/**
 * The subset of the Salesforce formula language that validation rules and formula fields in
 * this product use: AND, OR, NOT, IF, ISBLANK, ISNULL, ISPICKVAL, TEXT, LEN, REGEX, BEGINS,
 * CONTAINS, BLANKVALUE, comparison/arithmetic/`&` operators, literals and (cross-object)
 * field references. Pure: values come from a resolver.
 */

export type FormulaValue = string | number | boolean | null;
export type FieldResolver = (path: string[]) => FormulaValue;

type Node =
  | { kind: 'lit'; value: FormulaValue }
  | { kind: 'ref'; path: string[] }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'unary'; op: string; arg: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node };

export class FormulaError extends Error {}

type Token = { t: 'num' | 'str' | 'id' | 'op' | '(' | ')' | ','; v: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && src.charAt(i + 1) === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (/[0-9.]/.test(c)) {
      const m = /^[0-9]*\.?[0-9]+/.exec(src.slice(i));
      if (!m) throw new FormulaError(`Unexpected '${c}'`);
      tokens.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src.charAt(j) !== c) {
        if (src.charAt(j) === '\\' && j + 1 < src.length) {
          const n = src.charAt(j + 1);
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else s += src.charAt(j++);
      }
      if (j >= src.length) throw new FormulaError('Unterminated string');
      tokens.push({ t: 'str', v: s });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(src.slice(i));
      tokens.push({ t: 'id', v: m?.[0] ?? c });
      i += m?.[0].length ?? 1;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c, v: c });
      i++;
    } else {
      const two = src.slice(i, i + 2);
      if (['<=', '>=', '<>', '!=', '==', '&&', '||'].includes(two)) {
        tokens.push({ t: 'op', v: two });
        i += 2;
      } else if ('+-*/^&=<>!'.includes(c)) {
        tokens.push({ t: 'op', v: c });
        i++;
      } else throw new FormulaError(`Unexpected '${c}'`);
    }
  }
  return tokens;
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '=': 3,
  '==': 3,
  '!=': 3,
  '<>': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '&': 5,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '^': 7,
};

export function parseFormula(src: string): Node {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw new FormulaError('Unexpected end of formula');
    return t;
  };
  const expect = (t: Token['t']) => {
    const tok = next();
    if (tok.t !== t) throw new FormulaError(`Expected '${t}' but found '${tok.v}'`);
  };

  function primary(): Node {
    const tok = next();
    if (tok.t === 'num') return { kind: 'lit', value: Number(tok.v) };
    if (tok.t === 'str') return { kind: 'lit', value: tok.v };
    if (tok.t === '(') {
      const e = expr(0);
      expect(')');
      return e;
    }
    if (tok.t === 'op' && (tok.v === '-' || tok.v === '+' || tok.v === '!')) {
      return { kind: 'unary', op: tok.v, arg: expr(6) };
    }
    if (tok.t === 'id') {
      const upper = tok.v.toUpperCase();
      if (peek()?.t === '(') {
        next();
        const args: Node[] = [];
        if (peek()?.t !== ')') {
          do args.push(expr(0));
          while (peek()?.t === ',' && next());
        }
        expect(')');
        return { kind: 'call', name: upper, args };
      }
      if (upper === 'TRUE') return { kind: 'lit', value: true };
      if (upper === 'FALSE') return { kind: 'lit', value: false };
      if (upper === 'NULL') return { kind: 'lit', value: null };
      return { kind: 'ref', path: tok.v.split('.') };
    }
    throw new FormulaError(`Unexpected '${tok.v}'`);
  }

  function expr(minPrec: number): Node {
    let left = primary();
    for (;;) {
      const tok = peek();
      if (!tok || tok.t !== 'op') break;
      const prec = PRECEDENCE[tok.v];
      if (prec === undefined || prec < minPrec) break;
      next();
      const right = expr(tok.v === '^' ? prec : prec + 1);
      left = { kind: 'binary', op: tok.v, left, right };
    }
    return left;
  }

  const node = expr(0);
  if (pos < tokens.length) throw new FormulaError(`Unexpected '${tokens[pos]?.v}'`);
  return node;
}

const isBlank = (v: FormulaValue) => v === null || v === '';
const truthy = (v: FormulaValue) => v === true;
const text = (v: FormulaValue): string => (v === null ? '' : String(v));

function compare(op: string, a: FormulaValue, b: FormulaValue): boolean | null {
  if (op === '=' || op === '==') return (a ?? '') === (b ?? '');
  if (op === '!=' || op === '<>') return (a ?? '') !== (b ?? '');
  if (a === null || b === null) return null;
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function arithmetic(op: string, a: FormulaValue, b: FormulaValue): FormulaValue {
  if (op === '&') return text(a) + text(b);
  if (a === null || b === null) return null;
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '+':
      return typeof a === 'string' && typeof b === 'string' ? a + b : x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? null : x / y;
    default:
      return x ** y;
  }
}

export function evaluate(node: Node, resolve: FieldResolver): FormulaValue {
  const ev = (n: Node) => evaluate(n, resolve);
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'ref':
      return resolve(node.path);
    case 'unary': {
      const v = ev(node.arg);
      if (node.op === '!') return !truthy(v);
      if (v === null) return null;
      return node.op === '-' ? -Number(v) : Number(v);
    }
    case 'binary': {
      if (node.op === '&&') return truthy(ev(node.left)) && truthy(ev(node.right));
      if (node.op === '||') return truthy(ev(node.left)) || truthy(ev(node.right));
      const a = ev(node.left);
      const b = ev(node.right);
      if (PRECEDENCE[node.op] === 3 || PRECEDENCE[node.op] === 4) return compare(node.op, a, b);
      return arithmetic(node.op, a, b);
    }
    case 'call':
      return call(node.name, node.args, resolve);
  }
}

function call(name: string, args: Node[], resolve: FieldResolver): FormulaValue {
  const arg = (i: number) => {
    const n = args[i];
    if (!n) throw new FormulaError(`${name} needs more arguments`);
    return evaluate(n, resolve);
  };
  switch (name) {
    case 'AND':
      return args.every((_, i) => truthy(arg(i)));
    case 'OR':
      return args.some((_, i) => truthy(arg(i)));
    case 'NOT':
      return !truthy(arg(0));
    case 'IF':
      return truthy(arg(0)) ? arg(1) : arg(2);
    case 'ISBLANK':
    case 'ISNULL':
      return isBlank(arg(0));
    case 'BLANKVALUE':
    case 'NULLVALUE':
      return isBlank(arg(0)) ? arg(1) : arg(0);
    case 'ISPICKVAL':
      return text(arg(0)) === text(arg(1));
    case 'TEXT':
      return arg(0) === null ? '' : text(arg(0));
    case 'VALUE': {
      const n = Number(text(arg(0)));
      return Number.isFinite(n) ? n : null;
    }
    case 'LEN':
      return text(arg(0)).length;
    case 'UPPER':
      return text(arg(0)).toUpperCase();
    case 'LOWER':
      return text(arg(0)).toLowerCase();
    case 'TRIM':
      return text(arg(0)).trim();
    case 'BEGINS':
      return text(arg(0)).startsWith(text(arg(1)));
    case 'CONTAINS':
      return text(arg(0)).includes(text(arg(1)));
    case 'INCLUDES':
      return text(arg(0))
        .split(';')
        .includes(text(arg(1)));
    case 'REGEX': {
      // Salesforce REGEX must match the whole text (Java `matches`).
      try {
        return new RegExp(`^(?:${text(arg(1))})$`).test(text(arg(0)));
      } catch (cause) {
        throw new FormulaError(`Invalid regular expression ${text(arg(1))}`, { cause });
      }
    }
    default:
      throw new FormulaError(`Unknown function ${name}`);
  }
}

/** Parses once, evaluates many times; throws FormulaError for unsupported syntax. */
export function compileFormula(src: string): (resolve: FieldResolver) => FormulaValue {
  const node = parseFormula(src);
  return (resolve) => evaluate(node, resolve);
}
