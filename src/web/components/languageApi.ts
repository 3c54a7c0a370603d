import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import type { LanguageHit } from './languageHits';

/**
 * The service-language routes (§6) as the console calls them, typed from the generated `paths`
 * (session cookie, CSRF token, Accept-Language and ApiError come with the one client).
 */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op> = Op extends { responses: { 200: infer R } }
  ? JsonOf<R>
  : Op extends { responses: { 201: infer R } }
    ? JsonOf<R>
    : never;
type Body<Op> = Op extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

export type LanguagePhrase = Ok<paths['/api/v1/language/phrases']['get']>['items'][number];
export type PhraseSeverity = LanguagePhrase['severity'];
export type PhraseCreate = Body<paths['/api/v1/language/phrases']['post']>;
export type PhrasePatch = Body<paths['/api/v1/language/phrases/{id}']['patch']>;
export type LanguageOverrideRecord = Ok<paths['/api/v1/language/overrides']['get']>['items'][number];
export type OverrideFilters = NonNullable<paths['/api/v1/language/overrides']['get']['parameters']['query']>;
/** What a resident-facing write takes to send a forbidden phrase anyway. */
export type LanguageOverride = NonNullable<
  Body<paths['/api/v1/tickets/{id}/answer']['post']>['languageOverride']
>;

export async function checkLanguage(text: string, signal?: AbortSignal): Promise<{ hits: LanguageHit[] }> {
  return unwrap(api.POST('/api/v1/language/check', { body: { text }, signal }));
}

export function listPhrases(): Promise<{ items: LanguagePhrase[] }> {
  return unwrap(api.GET('/api/v1/language/phrases'));
}

export function createPhrase(body: PhraseCreate): Promise<LanguagePhrase> {
  return unwrap(api.POST('/api/v1/language/phrases', { body }));
}

export function patchPhrase(id: string, body: PhrasePatch): Promise<LanguagePhrase> {
  return unwrap(api.PATCH('/api/v1/language/phrases/{id}', { params: { path: { id } }, body }));
}

export function listOverrides(filters: OverrideFilters): Promise<{ items: LanguageOverrideRecord[] }> {
  return unwrap(api.GET('/api/v1/language/overrides', { params: { query: filters } }));
}
