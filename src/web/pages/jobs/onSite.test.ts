import { describe, expect, it } from 'vitest';
import type { EmergencyStep } from '../../api/types';
import { onSiteSteps } from './onSite';

const ORDER: EmergencyStep[] = [
  'recorded',
  'contractor_called',
  'onsite_notified',
  'reassurance_call',
  'rescuers_arrived',
  'released',
  'lift_checked',
  'incident_report',
];

function emergency(done: EmergencyStep[], reassuranceOverdue = false) {
  return {
    reassuranceOverdue,
    checklist: ORDER.map((step) => ({
      step,
      done: step === 'recorded' || done.includes(step),
      at: null,
      count: done.includes(step) ? 1 : 0,
    })),
  };
}

describe('the lift-entrapment steps offered at the lift (R16)', () => {
  it('R16: nothing until the contractor is called, except an overdue reassurance call', () => {
    expect(onSiteSteps(emergency([]))).toEqual([]);
    expect(onSiteSteps(emergency([], true))).toEqual(['reassurance_call']);
  });

  it('R16: rescuers on site once the contractor is called, then the release', () => {
    expect(onSiteSteps(emergency(['contractor_called']))).toEqual(['rescuers_arrived']);
    expect(onSiteSteps(emergency(['contractor_called', 'rescuers_arrived']))).toEqual(['released']);
    expect(onSiteSteps(emergency(['contractor_called', 'rescuers_arrived'], true))).toEqual([
      'reassurance_call',
      'released',
    ]);
  });

  it('R16: after the release only the lift check is left, and no reassurance', () => {
    const freed: EmergencyStep[] = ['contractor_called', 'rescuers_arrived', 'released'];
    expect(onSiteSteps(emergency(freed, true))).toEqual(['lift_checked']);
    expect(onSiteSteps(emergency([...freed, 'lift_checked']))).toEqual([]);
  });
});
