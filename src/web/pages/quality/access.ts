import { hasAny, QA_AGENTS, QA_MANAGERS } from './queries';

/**
 * Whether the user may open /quality at all: the quality team and leaders, or someone with results.
 * Apart from the page, so that the menu and the router do not load the page to ask.
 */
export function canSeeQuality(roles: readonly string[]) {
  return hasAny(roles, QA_MANAGERS) || hasAny(roles, QA_AGENTS);
}
