/**
 * The query key of the alerts bell, apart from the bell (antd Badge, Popover, Switch): the live
 * updates that every page loads, and the callbacks, refresh the alerts without loading the bell.
 */
export const ALERTS_KEY = ['me', 'alerts'] as const;
