import { randomUUID } from 'node:crypto'
import type { CompiledQuery, Kysely, Selectable } from 'kysely'
import { HttpAuthError } from '../base/errors.js'
import type { ExchangedIdentity, IdentityProviderName } from '../providers/types.js'
import type { Database, IdentitiesTable, UsersTable } from './schema.js'
import type { NewLogin } from './types.js'

/**
 * A store operation that needs several statements, written once for both engines: it yields each
 * compiled statement and receives its rows. SqlStore runs it inside one transaction, synchronously
 * on SQLite, statement by statement on PostgreSQL.
 */
export type Steps<T> = Generator<CompiledQuery, T, unknown[]>

/** Returned by steps that lost a race to a concurrent transaction: roll back and run them again. */
export const RETRY: unique symbol = Symbol('retry')

export type UserRow = Selectable<UsersTable>
export type IdentityRow = Selectable<IdentitiesTable>

interface StepContext {
  db: Kysely<Database>
  engine: 'sqlite' | 'postgres'
  now: number
}

const byKey = (identity: { provider: string; appId: string; subject: string }) =>
  ({ provider: identity.provider, app_id: identity.appId, subject: identity.subject }) as const

/** The user a person's unionid is anchored to within one provider's namespace, if any. */
function* anchorOf({ db }: StepContext, provider: IdentityProviderName, unionid: string): Steps<string | undefined> {
  const rows = yield db
    .selectFrom('identity_unions')
    .select('user_id')
    .where('provider', '=', provider)
    .where('unionid', '=', unionid)
    .compile()
  return (rows[0] as { user_id: string } | undefined)?.user_id
}

/** Anchors the unionid to the user; `false` when a concurrent transaction anchored it first. */
function* anchorUnion({ db }: StepContext, provider: IdentityProviderName, unionid: string, userId: string): Steps<boolean> {
  const anchored = yield db
    .insertInto('identity_unions')
    .values({ provider, unionid, user_id: userId })
    .onConflict((conflict) => conflict.columns(['provider', 'unionid']).doNothing())
    .returning('user_id')
    .compile()
  return anchored.length > 0
}

/** Records the identity for the user; `undefined` when a concurrent transaction recorded it first. */
function* insertIdentity({ db, now }: StepContext, userId: string, identity: ExchangedIdentity): Steps<IdentityRow | undefined> {
  const inserted = yield db
    .insertInto('identities')
    .values({
      ...byKey(identity),
      user_id: userId,
      platform: identity.platform,
      unionid: identity.unionid ?? null,
      session_key: identity.sessionKey ?? null,
      created_at: now,
    })
    .onConflict((conflict) => conflict.columns(['provider', 'app_id', 'subject']).doNothing())
    .returningAll()
    .compile()
  return inserted[0] as IdentityRow | undefined
}

/**
 * The login: the identity's user, else (a new identity) the user its unionid is anchored to, else a
 * new user; then the identity's session key and the login's refresh family with its first token.
 * Concurrent first logins meet at the primary keys of `identities` and `identity_unions`: the loser's
 * `ON CONFLICT DO NOTHING` inserts nothing (PostgreSQL waits for the winner's commit first), it rolls
 * back and its next pass finds the winner's rows.
 */
export function* loginSteps(context: StepContext, identity: ExchangedIdentity, login: NewLogin): Steps<UserRow | typeof RETRY> {
  const { db, now } = context
  const { provider, unionid } = identity
  const key = byKey(identity)
  const known = yield db
    .updateTable('identities')
    .set((eb) => ({
      session_key: identity.sessionKey ?? eb.ref('session_key'),
      unionid: unionid ?? eb.ref('unionid'),
    }))
    .where('provider', '=', key.provider)
    .where('app_id', '=', key.app_id)
    .where('subject', '=', key.subject)
    .returning('user_id')
    .compile()
  let userId = (known[0] as { user_id: string } | undefined)?.user_id
  if (userId === undefined) {
    const anchoredTo = unionid ? yield* anchorOf(context, provider, unionid) : undefined
    if (anchoredTo !== undefined) {
      // One person has one openid per app: a second one in an app the user already has is not
      // theirs to join (never a silent merge), it starts a user of its own.
      const taken = yield db
        .selectFrom('identities')
        .select('subject')
        .where('user_id', '=', anchoredTo)
        .where('provider', '=', provider)
        .where('app_id', '=', key.app_id)
        .compile()
      if (taken.length === 0) userId = anchoredTo
    }
    if (userId === undefined) {
      userId = randomUUID()
      yield db.insertInto('users').values({ id: userId, phone: null, created_at: now }).compile()
      if (unionid && anchoredTo === undefined && !(yield* anchorUnion(context, provider, unionid, userId))) return RETRY
    }
    if (!(yield* insertIdentity(context, userId, identity))) return RETRY
  } else if (unionid) {
    // A known identity reporting a unionid (its app was bound to an open platform since): the first
    // user seen with a unionid keeps it, so new identities of the person join that user.
    yield* anchorUnion(context, provider, unionid, userId)
  }
  yield db.insertInto('refresh_families').values({ id: login.familyId, user_id: userId, created_at: now, revoked_at: null }).compile()
  yield db
    .insertInto('refresh_tokens')
    .values({ hash: login.refreshTokenHash, family_id: login.familyId, user_id: userId, expires_at: login.refreshExpiresAt, used_at: null })
    .compile()
  const users = yield db.selectFrom('users').selectAll().where('id', '=', userId).compile()
  return users[0] as UserRow
}

/** PostgreSQL: link and unlink of one user take turns (SQLite runs one writer at a time anyway). */
function* lockUser({ db, engine }: StepContext, userId: string): Steps<boolean> {
  const query = db.selectFrom('users').select('id').where('id', '=', userId)
  const rows = yield engine === 'postgres' ? query.forUpdate().compile() : query.compile()
  return rows.length > 0
}

const conflict = (message: string) => new HttpAuthError('IDENTITY_CONFLICT', message)

/** Adds an identity to a user, or refuses (409) when it, or the person behind its unionid, is someone else's. */
export function* linkSteps(context: StepContext, userId: string, identity: ExchangedIdentity): Steps<IdentityRow | typeof RETRY> {
  const { db } = context
  const { provider, unionid } = identity
  const key = byKey(identity)
  if (!(yield* lockUser(context, userId))) throw new HttpAuthError('AUTH_USER_NOT_FOUND', 'User no longer exists')
  const rows = (yield db
    .selectFrom('identities')
    .selectAll()
    .where('provider', '=', key.provider)
    .where((eb) =>
      eb.or([eb('user_id', '=', userId).and('app_id', '=', key.app_id), eb('app_id', '=', key.app_id).and('subject', '=', key.subject)]),
    )
    .compile()) as IdentityRow[]
  const same = rows.find((row) => row.subject === key.subject)
  if (same && same.user_id !== userId) throw conflict('This identity belongs to another account; log in with it instead of linking it')
  if (same) {
    // Linking what the user already has changes nothing but the latest session key.
    if (identity.sessionKey) {
      yield db
        .updateTable('identities')
        .set({ session_key: identity.sessionKey })
        .where('provider', '=', key.provider)
        .where('app_id', '=', key.app_id)
        .where('subject', '=', key.subject)
        .compile()
    }
    return same
  }
  if (rows.length > 0) throw conflict('This account already has another identity in that app; unlink it first')
  if (unionid) {
    const owner = yield* anchorOf(context, provider, unionid)
    if (owner !== undefined && owner !== userId) throw conflict('The person behind this identity already has another account')
    if (owner === undefined && !(yield* anchorUnion(context, provider, unionid, userId))) return RETRY
  }
  return (yield* insertIdentity(context, userId, identity)) ?? RETRY
}

/** Removes the user's identity in one app, never the last one; drops its unionid anchor when no identity carries it any more. */
export function* unlinkSteps(context: StepContext, userId: string, provider: IdentityProviderName, appId: string): Steps<boolean> {
  const { db } = context
  if (!(yield* lockUser(context, userId))) return false
  const rows = (yield db
    .selectFrom('identities')
    .select(['provider', 'app_id', 'unionid'])
    .where('user_id', '=', userId)
    .compile()) as Pick<IdentityRow, 'provider' | 'app_id' | 'unionid'>[]
  const target = rows.find((row) => row.provider === provider && row.app_id === appId)
  if (!target) return false
  if (rows.length === 1) {
    throw new HttpAuthError('LAST_IDENTITY', 'This is the only way this account can log in; link another identity before removing it')
  }
  yield db.deleteFrom('identities').where('user_id', '=', userId).where('provider', '=', provider).where('app_id', '=', appId).compile()
  const { unionid } = target
  if (unionid && !rows.some((row) => row !== target && row.provider === provider && row.unionid === unionid)) {
    // Otherwise logging in again with the unlinked identity would silently join it to this user again.
    yield db
      .deleteFrom('identity_unions')
      .where('provider', '=', provider)
      .where('unionid', '=', unionid)
      .where('user_id', '=', userId)
      .compile()
  }
  return true
}
