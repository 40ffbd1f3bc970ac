/**
 * What an instructor administers of their course's LMS integration: the LTI registration,
 * grade sync, outbound webhook endpoints and deliveries, and the inbound webhook secret. The
 * business rule "only an instructor, only their own course" lives here, as the API service's
 * `requireInstructor` does for regrade, so the routes in routes.ts only parse and answer.
 */
import { AppError } from '../service/errors.ts';
import type { Principal } from '../service/tokens.ts';
import type { PlatformRegistration } from './lti.ts';
import type { LmsService } from './service.ts';

/** The LMS use cases an instructor may run, scoped to their course. */
export interface CourseAdmin {
  /** The instructor's course: every call below acts on it. */
  readonly course: string;
  register(reg: Omit<PlatformRegistration, 'course'>): Promise<PlatformRegistration>;
  syncStatus(scenario: string, cursor?: string): ReturnType<LmsService['syncStatus']>;
  resync(scenario: string, student?: string): ReturnType<LmsService['resync']>;
  createEndpoint(url: string, eventTypes?: string[]): ReturnType<LmsService['createEndpoint']>;
  listEndpoints(): ReturnType<LmsService['listEndpoints']>;
  rotateSecret(id: string): ReturnType<LmsService['rotateSecret']>;
  deliveries(limit: number, cursor?: string): ReturnType<LmsService['deliveries']>;
  replay(id: string): ReturnType<LmsService['replay']>;
  newInboundSecret(): ReturnType<LmsService['newInboundSecret']>;
}

/** `p`'s administration of their course's LMS integration; 403 for anyone but an instructor. */
export function courseAdmin(lms: LmsService, p: Principal): CourseAdmin {
  if (p.role !== 'instructor') throw new AppError('forbidden', 'only instructors manage LMS integration');
  const { course } = p;
  return {
    course,
    register: async (reg) => {
      const full = { ...reg, course };
      await lms.register(full);
      return full;
    },
    syncStatus: (scenario, cursor) => lms.syncStatus(course, scenario, cursor),
    resync: (scenario, student) => lms.resync(course, scenario, student),
    createEndpoint: (url, eventTypes) => lms.createEndpoint(course, url, eventTypes),
    listEndpoints: () => lms.listEndpoints(course),
    rotateSecret: (id) => lms.rotateSecret(course, id),
    deliveries: (limit, cursor) => lms.deliveries(course, limit, cursor),
    replay: (id) => lms.replay(course, id),
    newInboundSecret: () => lms.newInboundSecret(course),
  };
}
