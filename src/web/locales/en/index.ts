import type { Messages } from '../zh-CN';
import { alerts } from './alerts';
import { auth } from './auth';
import { callbacks } from './callbacks';
import { calls } from './calls';
import { categories } from './categories';
import { common } from './common';
import { company } from './company';
import { errors } from './errors';
import { imports } from './imports';
import { jobs } from './jobs';
import { knowledge } from './knowledge';
import { language } from './language';
import { me } from './me';
import { quality } from './quality';
import { registry } from './registry';
import { reports } from './reports';
import { residents } from './residents';
import { roles } from './roles';
import { shell } from './shell';
import { sla } from './sla';
import { slaSettings } from './slaSettings';
import { staff } from './staff';
import { surveys } from './surveys';
import { teams } from './teams';
import { tickets } from './tickets';
import { time } from './time';
import { visits } from './visits';

export const en: Messages = {
  calls,
  alerts,
  common,
  shell,
  auth,
  me,
  roles,
  errors,
  time,
  tickets,
  jobs,
  registry,
  residents,
  imports,
  staff,
  teams,
  categories,
  company,
  sla,
  slaSettings,
  callbacks,
  visits,
  reports,
  surveys,
  language,
  knowledge,
  quality,
};
