import { isDeepStrictEqual } from 'node:util';
import type { EmulatorClock } from '../clock';
import { newETag, newGuid } from '../ids';
import { formatMs, formatStamp, nextStamp, parseStamp, type Stamp } from '../timestamps';
import { badRequest, notFound, preconditionFailed, type FieldIssue } from './api-error';
import { canonicalizeKeys, canonicalKey } from './canonical-keys';
import { applyPatch, parsePatch, pointerSegments } from './json-patch';
import { selectPage, type ListPage, type ListQuery } from './list-referrals';
import type { Referral, ReferralStore } from './referral-store';
import type { SolutionCatalog } from './solution-catalog';
import { pairProblem, transitionProblem } from './transitions';
import { coerceDealValue, validateReferral } from './validate-referral';

/** Unanswered incoming referrals expire after 14 days (get-a-list-of-referrals, 2020 text). */
export const INCOMING_EXPIRY_MS = 14 * 24 * 60 * 60 * 1000;

export type ReferralEventName =
  'referral-created' | 'referral-updated' | 'related-referral-created' | 'related-referral-updated';

export interface ReferralServiceDeps {
  clock: EmulatorClock;
  store: ReferralStore;
  solutions: SolutionCatalog;
  /** `http://127.0.0.1:<port>`; known only once the server listens. */
  origin(): string;
  partner: { organizationId: string; organizationName: string };
  onEvent(name: ReferralEventName, referral: Referral): void;
}

/** Fields the server owns: clients cannot set them on create nor change them by PATCH. */
const SERVER_FIELDS = [
  'id',
  'eTag',
  'createdDateTime',
  'updatedDateTime',
  'direction',
  'organizationId',
  'organizationName',
  'links',
  'expirationDateTime',
  'acceptedDateTime',
  'closedDateTime',
];
const READ_ONLY_ON_PATCH = new Set([...SERVER_FIELDS, 'engagementId', 'type']);
/** What a partner may still edit on a closed (terminal) referral. */
const EDITABLE_WHEN_CLOSED = ['/externalReferenceId', '/details/notes', '/favorite'];

type Json = Record<string, unknown>;

/**
 * The referral rules of Partner Center, independent of HTTP: create (outgoing, by the partner),
 * create incoming (by Microsoft), get, list, JSON Patch with If-Match, Microsoft-side updates,
 * and the 14-day expiry. Every change gets a fresh ETag and raises the webhook event.
 */
export class ReferralService {
  private lastStamp: Stamp | undefined;

  constructor(private readonly deps: ReferralServiceDeps) {}

  createOutgoing(body: unknown): Referral {
    // A referral the partner creates is its own, hence already accepted: the 2019 create
    // sample answers Active/Accepted, and acceptedDateTime is the creation time for outgoing.
    return this.validateAndInsert(this.incomingDocument(body), 'Outgoing', 'Active', 'Accepted');
  }

  /**
   * Microsoft (or another party) sends the partner a referral: New/Pending until answered.
   * `at` back-dates it (seeding history: several referrals may then share one updatedDateTime).
   */
  createIncoming(body: unknown, at?: string): Referral {
    const doc = this.incomingDocument(body);
    doc.type ??= 'Shared';
    doc.qualification ??= 'SalesQualified';
    doc.consent ??= {};
    doc.details ??= {};
    const invite = (doc.inviteContext ??= {}) as Json;
    invite.invitedBy ??= { organizationId: 'msft', organizationName: 'Microsoft' };
    let stamp: string | undefined;
    if (at !== undefined) {
      const parsed = parseStamp(at);
      if (!parsed) throw badRequest([{ target: 'at', message: `'${at}' is not a date-time.` }]);
      stamp = formatStamp(parsed);
    }
    return this.validateAndInsert(doc, 'Incoming', 'New', 'Pending', stamp);
  }

  get(id: string): Referral {
    this.expireDue();
    const found = this.deps.store.get(id);
    if (!found) throw notFound(id);
    return found;
  }

  list(query: ListQuery): ListPage<Json> {
    this.expireDue();
    const page = selectPage(this.deps.store.live() as Referral[], query);
    return { ...page, items: structuredClone(page.items) };
  }

  /** PATCH by the partner: JSON Patch (replace/add), optional If-Match, transitions enforced. */
  patch(id: string, body: unknown, ifMatch: string | undefined): Referral {
    const current = this.get(id);
    if (ifMatch !== undefined && ifMatch.trim() !== '*' && ifMatch.trim() !== current.eTag) {
      throw preconditionFailed();
    }
    const parsed = parsePatch(body);
    if (isIssueList(parsed)) throw badRequest(parsed);
    const operations = parsed.map((op) => ({
      op: op.op,
      path: '/' + pointerSegments(op.path).map(canonicalKey).join('/'),
      value: canonicalizeKeys(op.value),
    }));
    const readOnly = operations.filter((op) =>
      READ_ONLY_ON_PATCH.has(pointerSegments(op.path)[0] ?? ''),
    );
    if (readOnly.length > 0) {
      throw badRequest(
        readOnly.map((op) => ({
          target: op.path,
          message: `Property '${op.path}' cannot be changed.`,
        })),
      );
    }
    if (current.status === 'Closed') {
      const locked = operations.filter(
        (op) => !EDITABLE_WHEN_CLOSED.some((p) => op.path === p || op.path.startsWith(p + '/')),
      );
      if (locked.length > 0) {
        throw badRequest(
          locked.map((op) => ({
            target: op.path,
            message: `The referral is closed (${current.substatus}); '${op.path}' can no longer be changed.`,
          })),
        );
      }
    }
    const result = applyPatch(current, operations);
    if (!result.ok) throw badRequest(result.issues);
    const next = result.document as Referral;
    this.completeRegistrations(next);
    coerceDealValue(next);
    if (next.substatus === 'Expired' && current.substatus !== 'Expired') {
      throw badRequest([
        {
          target: '/substatus',
          message: 'Only Partner Center expires a referral; a partner cannot set Expired.',
        },
      ]);
    }
    this.checkChange(current, next);
    return this.commit(current, next);
  }

  /**
   * The deprecated full update (`PUT /referrals/{id}`, connector UpdateReferralById): the body
   * replaces the referral except what the server owns; If-Match is required.
   */
  replace(id: string, body: unknown, ifMatch: string | undefined): Referral {
    const current = this.get(id);
    if (ifMatch === undefined || ifMatch.trim() === '') {
      throw badRequest([{ target: 'If-Match', message: 'The if-match header is required.' }]);
    }
    if (ifMatch.trim() !== '*' && ifMatch.trim() !== current.eTag) throw preconditionFailed();
    const doc = this.incomingDocument(body);
    const next = { ...doc } as Referral;
    for (const field of [...SERVER_FIELDS, 'engagementId', 'type']) {
      if (current[field] !== undefined) (next as Json)[field] = current[field];
    }
    next.status ??= current.status;
    next.substatus ??= current.substatus;
    next.team = Array.isArray(doc.team) ? doc.team : [];
    next.registrations = Array.isArray(doc.registrations) ? doc.registrations : [];
    this.completeRegistrations(next);
    this.checkChange(current, next);
    return this.commit(current, next);
  }

  /** A deal registration added by the partner gets its id and date from the server. */
  private completeRegistrations(referral: Referral): void {
    if (!Array.isArray(referral.registrations)) return;
    for (const registration of referral.registrations) {
      if (!isObject(registration)) {
        throw badRequest([
          { target: '/registrations', message: 'A deal registration must be a JSON object.' },
        ]);
      }
      registration.id ??= newGuid();
      registration.registrationDateTime ??= this.stamp();
    }
  }

  /** Microsoft changes a referral (accepts, wins, loses, edits): a deep merge of a partial document. */
  microsoftUpdate(id: string, partial: unknown): Referral {
    const current = this.get(id);
    if (!isObject(partial))
      throw badRequest([{ target: 'body', message: 'The body must be a JSON object.' }]);
    const changes = canonicalizeKeys(partial) as Json;
    for (const field of [...SERVER_FIELDS, 'engagementId']) delete changes[field];
    const next = deepMerge(current, changes) as Referral;
    coerceDealValue(next);
    this.checkChange(current, next);
    return this.commit(current, next);
  }

  /** Closes every unanswered incoming referral whose 14 days are over; returns how many. */
  expireDue(): number {
    const now = this.deps.clock.now();
    let expired = 0;
    const due = this.deps.store
      .live()
      .filter(
        (r) =>
          r.direction === 'Incoming' &&
          r.status === 'New' &&
          Date.parse(String(r.expirationDateTime)) <= now,
      )
      .map((r) => structuredClone(r) as Referral);
    for (const referral of due) {
      this.commit(referral, {
        ...referral,
        status: 'Closed',
        substatus: 'Expired',
        statusReason: 'Expired',
      });
      expired += 1;
    }
    return expired;
  }

  private incomingDocument(body: unknown): Json {
    if (!isObject(body))
      throw badRequest([
        { target: 'body', message: 'The request body must be a referral JSON object.' },
      ]);
    const doc = canonicalizeKeys(structuredClone(body)) as Json;
    for (const field of SERVER_FIELDS) delete doc[field];
    coerceDealValue(doc);
    return doc;
  }

  /**
   * Create-a-referral validation (400 with every problem), then store: in the given status unless
   * the body names one (the control API may create a referral in any state).
   */
  private validateAndInsert(
    doc: Json,
    direction: 'Incoming' | 'Outgoing',
    status: string,
    substatus: string,
    at?: string,
  ): Referral {
    const issues = validateReferral(doc, { solutionIds: this.deps.solutions.ids() });
    if (issues.length > 0) throw badRequest(issues);
    return this.insert(
      doc,
      direction,
      (doc.status as string | undefined) ?? status,
      (doc.substatus as string | undefined) ?? substatus,
      at,
    );
  }

  private insert(
    doc: Json,
    direction: 'Incoming' | 'Outgoing',
    status: string,
    substatus: string,
    at?: string,
  ): Referral {
    const stamp = at ?? this.stamp();
    const id = newGuid();
    const engagementId =
      typeof doc.engagementId === 'string' && doc.engagementId ? doc.engagementId : newGuid();
    const profile = isObject(doc.customerProfile) ? doc.customerProfile : undefined;
    if (profile && !Array.isArray(profile.team)) profile.team = [];
    const referral: Referral = {
      ...doc,
      // Real referrals always carry both teams (and the registration list), so the documented
      // `add /team/-` works on a referral created without any member.
      team: Array.isArray(doc.team) ? doc.team : [],
      registrations: Array.isArray(doc.registrations) ? doc.registrations : [],
      id,
      engagementId,
      organizationId: this.deps.partner.organizationId,
      organizationName: this.deps.partner.organizationName,
      createdDateTime: stamp,
      updatedDateTime: stamp,
      status,
      substatus,
      direction,
      eTag: newETag(),
      links: this.links(id, engagementId),
    };
    if (direction === 'Incoming') {
      referral.expirationDateTime = formatMs(Date.parse(stamp) + INCOMING_EXPIRY_MS);
    }
    if (status === 'Active') referral.acceptedDateTime = stamp;
    if (status === 'Closed') referral.closedDateTime = stamp;
    this.deps.store.put(referral);
    this.raise('created', referral);
    return referral;
  }

  private checkChange(current: Referral, next: Referral): void {
    const issues: FieldIssue[] = [];
    const problem = transitionProblem(current, {
      status: String(next.status),
      substatus: String(next.substatus),
    });
    if (problem) issues.push({ target: 'status', message: problem });
    // Only problems the change introduced: a referral Microsoft created may lack what a
    // partner-created one needs, and must stay editable.
    const context = { solutionIds: this.deps.solutions.ids() };
    const before = new Set(validateReferral(current, context).map((i) => i.message));
    issues.push(
      ...validateReferral(next, context).filter(
        (i) => !before.has(i.message) && i.target !== 'status',
      ),
    );
    if (issues.length > 0) throw badRequest(issues);
    const pair = pairProblem(next.status, next.substatus);
    if (pair) throw badRequest([{ target: 'status', message: pair }]);
  }

  private commit(current: Referral, next: Referral): Referral {
    if (isDeepStrictEqual(current, next)) return current; // nothing changed: same ETag, no event
    const stamp = this.stamp();
    next.updatedDateTime = stamp;
    next.eTag = newETag();
    if (next.status === 'Active' && current.status !== 'Active') next.acceptedDateTime = stamp;
    if (next.status === 'Closed' && current.status !== 'Closed') next.closedDateTime = stamp;
    this.deps.store.put(next);
    this.raise('updated', next);
    return next;
  }

  private raise(kind: 'created' | 'updated', referral: Referral): void {
    this.deps.onEvent(`referral-${kind}`, referral);
    const related = this.deps.store
      .live()
      .some((r) => r.engagementId === referral.engagementId && r.id !== referral.id);
    if (related) this.deps.onEvent(`related-referral-${kind}`, referral);
  }

  /**
   * Seven fractional digits as Partner Center writes them; strictly increasing, so
   * `updatedDateTime gt <last seen>` never misses a change.
   */
  private stamp(): string {
    this.lastStamp = nextStamp(this.lastStamp, this.deps.clock.now());
    return formatStamp(this.lastStamp);
  }

  private links(id: string, engagementId: string) {
    const base = `${this.deps.origin()}/v1.0/engagements/referrals`;
    return {
      relatedReferrals: {
        uri: `${base}?$filter=${encodeURIComponent(`engagementId eq '${engagementId}'`)}`,
        method: 'GET',
      },
      self: { uri: `${base}/${id}`, method: 'GET' },
    };
  }

  reset(): void {
    this.deps.store.clear();
  }
}

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isIssueList(value: unknown[]): value is FieldIssue[] {
  return value.length > 0 && value.every((v) => isObject(v) && 'message' in v && 'target' in v);
}

function deepMerge(base: unknown, changes: unknown): unknown {
  if (!isObject(base) || !isObject(changes)) return structuredClone(changes);
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(changes)) out[key] = deepMerge(base[key], value);
  return out;
}
