/**
 * The "answered within three rings" figures (§4, [002]): pure arithmetic over a period's inbound
 * calls, by agent and by hour of the company's time zone.
 */
export interface StatsCall {
  status: string;
  outcome: string | null;
  ringing_at: string;
  ring_seconds: number | null;
  agent_user_id: string | null;
  agent_name: string | null;
  agent_employee_no: string | null;
}

export interface Tally {
  /** Inbound calls that stopped ringing (answered, or ended unanswered). */
  offered: number;
  answered: number;
  answeredWithin: number;
  /** answeredWithin / offered (agents: / answered); null when there is nothing to divide. */
  rate: number | null;
  averageRingSeconds: number | null;
}

function tally(calls: StatsCall[], thresholdSeconds: number, per: 'offered' | 'answered'): Tally {
  const rung = calls.filter((c) => c.status !== 'ringing');
  const answered = rung.filter((c) => c.outcome === 'answered' || c.status === 'answered');
  const timed = answered.filter((c) => c.ring_seconds !== null);
  const within = timed.filter((c) => c.ring_seconds! <= thresholdSeconds).length;
  const base = per === 'offered' ? rung.length : answered.length;
  return {
    offered: rung.length,
    answered: answered.length,
    answeredWithin: within,
    rate: base ? Math.round((within / base) * 1000) / 1000 : null,
    averageRingSeconds: timed.length
      ? Math.round((timed.reduce((s, c) => s + c.ring_seconds!, 0) / timed.length) * 10) / 10
      : null,
  };
}

/** "2026-11-30 10" in the given zone: the hour a call rang, as the desk's wall clock shows it. */
export function localHour(at: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}`;
}

/** Midnight of the day `at` falls on, in the zone, as an instant. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offset = asUtc - Math.floor(at.getTime() / 1000) * 1000;
  const midnightLocal = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
  return new Date(midnightLocal - offset);
}

export function answerStats(calls: StatsCall[], thresholdSeconds: number, timeZone: string) {
  const byAgent = new Map<string, StatsCall[]>();
  const byHour = new Map<string, StatsCall[]>();
  for (const c of calls) {
    if (c.agent_user_id) byAgent.set(c.agent_user_id, [...(byAgent.get(c.agent_user_id) ?? []), c]);
    const hour = localHour(c.ringing_at, timeZone);
    byHour.set(hour, [...(byHour.get(hour) ?? []), c]);
  }
  return {
    thresholdSeconds,
    overall: tally(calls, thresholdSeconds, 'offered'),
    byAgent: [...byAgent.entries()]
      .map(([agentUserId, list]) => ({
        agentUserId,
        name: list[0]!.agent_name ?? '',
        employeeNo: list[0]!.agent_employee_no ?? '',
        ...tally(list, thresholdSeconds, 'answered'),
      }))
      .sort((a, b) => a.employeeNo.localeCompare(b.employeeNo)),
    byHour: [...byHour.entries()]
      .map(([hour, list]) => ({ hour, ...tally(list, thresholdSeconds, 'offered') }))
      .sort((a, b) => a.hour.localeCompare(b.hour)),
  };
}
