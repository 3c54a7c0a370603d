/**
 * Standard scripts (标准话术) for the stages of a call and a visit: the greeting with the center's
 * name and the agent's 工号 (R28), hold and the 20-s check (R29), telling the caller before a
 * transfer and letting them hang up first (R31), taking a message (R30), thanking for a
 * complaint (R35). A script is a template with placeholders in braces; rendering is pure.
 */

/** The stages a script belongs to, in the order a call (then a visit) goes through them. */
export const SCRIPT_STAGES = [
  'greeting',
  'hold',
  'hold_check',
  'transfer',
  'message',
  'complaint',
  'closing',
  'visit_greeting',
  'visit_closing',
] as const;
export type ScriptStage = (typeof SCRIPT_STAGES)[number];

/** The placeholders a script may use. */
export const SCRIPT_PLACEHOLDERS = ['community', 'company', 'agent', 'employeeNo', 'resident'] as const;
export type ScriptPlaceholder = (typeof SCRIPT_PLACEHOLDERS)[number];

export type ScriptValues = Partial<Record<ScriptPlaceholder, string | null>>;

/**
 * What a placeholder reads as when its value is not known: the caller is addressed as 您 when we
 * do not know their name, the community as 本小区. The others stay visible ({employeeNo}) so
 * the agent sees what to say.
 */
export const NEUTRAL_VALUES: ScriptValues = { resident: '您', community: '本小区' };

export interface RenderedScript {
  text: string;
  /** Placeholders left visible in `text`: unknown names, or known ones without a value. */
  unfilled: string[];
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function isPlaceholder(name: string): name is ScriptPlaceholder {
  return (SCRIPT_PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Fills a script's placeholders. A known placeholder takes its value (trimmed), else its neutral
 * form, else stays as written; an unknown one stays as written, so a typo shows instead of
 * vanishing.
 */
export function renderScript(
  template: string,
  values: ScriptValues,
  neutral: ScriptValues = NEUTRAL_VALUES,
): RenderedScript {
  const unfilled: string[] = [];
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    if (isPlaceholder(name)) {
      const value = values[name]?.trim() || neutral[name]?.trim();
      if (value) return value;
    }
    if (!unfilled.includes(name)) unfilled.push(name);
    return whole;
  });
  return { text, unfilled };
}

/** The placeholders of a template that the renderer does not know (a script is refused with any). */
export function unknownPlaceholders(template: string): string[] {
  const out: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!isPlaceholder(name) && !out.includes(name)) out.push(name);
  }
  return out;
}
