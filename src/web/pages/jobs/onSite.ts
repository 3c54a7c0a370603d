import type { EmergencyDetail, EmergencyLogEntry, EmergencyStep } from '../../api/types';

/** The playbook entries logged by whoever is at the lift; calling the contractor is the desk's. */
export type OnSiteEntry = Extract<
  EmergencyLogEntry,
  'reassurance_call' | 'rescuers_arrived' | 'released' | 'lift_checked'
>;

/**
 * The lift-entrapment steps to offer the guard or technician at the lift (R16), in the playbook's
 * order (domain/emergency.ts): while people are trapped, the overdue reassurance call, then the
 * rescuers' arrival once the contractor has been called, then the release; after the release the
 * lift's check. A step is offered only when the server would take it now, so a tap never gets
 * a 409 for being out of order. The desk's own steps (contractor, notifying staff, the incident
 * report) are left to the desk.
 */
export function onSiteSteps(
  emergency: Pick<EmergencyDetail, 'checklist' | 'reassuranceOverdue'>,
): OnSiteEntry[] {
  const done = (step: EmergencyStep) => emergency.checklist.some((item) => item.step === step && item.done);
  if (done('released')) return done('lift_checked') ? [] : ['lift_checked'];
  const steps: OnSiteEntry[] = [];
  if (emergency.reassuranceOverdue) steps.push('reassurance_call');
  if (!done('rescuers_arrived')) {
    if (done('contractor_called')) steps.push('rescuers_arrived');
  } else {
    steps.push('released');
  }
  return steps;
}
