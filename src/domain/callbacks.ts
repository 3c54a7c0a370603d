/**
 * Callbacks (回电) and messages (留言), PRODUCT.md §4 R30, as pure rules: what an attempt to call
 * back does to the task, when to try again, and the message as the agent reads it back to the
 * caller before saving it ([002] 重述留言内容，以防错漏). No I/O.
 */

/** missed_call: a missed or abandoned inbound call; message: a message taken for a colleague or team. */
export const CALLBACK_KINDS = ['missed_call', 'message'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

/** open until reached (done) or closed with a reason (closed). */
export const CALLBACK_STATUSES = ['open', 'done', 'closed'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export const ATTEMPT_OUTCOMES = ['reached', 'no_answer', 'busy', 'wrong_number'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** The queues of the callbacks page: for me, for my teams, the desk's unassigned misses, or all I may see. */
export const CALLBACK_VIEWS = ['mine', 'team', 'desk', 'all'] as const;
export type CallbackView = (typeof CALLBACK_VIEWS)[number];

/** Minutes to wait after the 1st, 2nd, 3rd … unanswered attempt; the last value repeats. */
export const RETRY_SCHEDULE_MINUTES = [10, 30, 120] as const;

/** When to try again after `failures` unanswered (no answer, busy) attempts in a row (1-based). */
export function nextAttemptAt(failures: number, now: Date): Date {
  const i = Math.min(Math.max(failures, 1), RETRY_SCHEDULE_MINUTES.length) - 1;
  return new Date(now.getTime() + RETRY_SCHEDULE_MINUTES[i]! * 60_000);
}

/** What one attempt does to an open callback. */
export type AttemptEffect =
  | { status: 'done' }
  | { status: 'open'; retryAt: Date }
  | { status: 'closed'; reason: string }
  | { status: 'open'; correctedPhone: string };

/**
 * reached: done. no_answer, busy: still open, tried again on the retry schedule. wrong_number: the
 * number must be corrected (tried again at once) or the task closed with a reason — a wrong number
 * alone would leave a promise nobody can keep. Returns the problem's field when the input is short.
 */
export function attemptEffect(
  outcome: AttemptOutcome,
  input: { correctedPhone?: string | null; closeReason?: string | null },
  failuresBefore: number,
  now: Date,
): AttemptEffect | { problem: 'correctedPhone' | 'closeReason' } {
  switch (outcome) {
    case 'reached':
      return { status: 'done' };
    case 'no_answer':
    case 'busy':
      return { status: 'open', retryAt: nextAttemptAt(failuresBefore + 1, now) };
    case 'wrong_number': {
      const phone = input.correctedPhone?.trim();
      const reason = input.closeReason?.trim();
      if (phone && reason) return { problem: 'closeReason' };
      if (phone) return { status: 'open', correctedPhone: phone };
      if (reason) return { status: 'closed', reason };
      return { problem: 'correctedPhone' };
    }
  }
}

/** The parts of a message the agent reads back. */
export interface ReadBackParts {
  /** How the caller is addressed: 王先生. */
  caller: string;
  /** The colleague or team it is for: 维修组李师傅. */
  forWhom: string;
  phone: string;
  /** The unit, if given: 3-2-1502. */
  room?: string | null;
  content: string;
  /** When the caller will be called back, as said: 14:30. */
  due?: string | null;
}

/**
 * The message composed as one sentence to read aloud before saving it [002]:
 * 「王先生，我跟您确认一下：您找维修组李师傅，电话13800138000，房号3-2-1502，内容是：…，我们会在14:30前回电，对吗？」
 * Templates per language come from the caller (the console's locale); `{x}` placeholders.
 */
export function readBackSentence(
  parts: ReadBackParts,
  templates: { sentence: string; room: string; due: string; noDue: string },
): string {
  const fill = (text: string, values: Record<string, string>) =>
    text.replace(/\{(\w+)\}/g, (_m, key: string) => values[key] ?? '');
  const content = parts.content.trim().replace(/[\s。！？!?.,，；;]+$/, '');
  return fill(templates.sentence, {
    caller: parts.caller.trim(),
    forWhom: parts.forWhom.trim(),
    phone: parts.phone.trim(),
    room: parts.room?.trim() ? fill(templates.room, { room: parts.room.trim() }) : '',
    content,
    due: parts.due ? fill(templates.due, { due: parts.due }) : templates.noDue,
  });
}
