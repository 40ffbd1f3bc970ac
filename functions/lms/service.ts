/**
 * The LMS use cases: outbound webhooks (emit, deliver with retries, replay, endpoints and
 * secret rotation), inbound webhook verification, LTI 1.3 login and launch, and grade
 * passback per the scenario's policy with a per-student sync status. Each concern lives in its
 * own module (webhook-service.ts, launch-service.ts, passback-service.ts); `LmsService` is the
 * one entry point the routes, workers and wiring use.
 */
import { LaunchService } from './launch-service.ts';
import { PassbackService } from './passback-service.ts';
import type { LmsDeps } from './service-common.ts';
import { WebhookService } from './webhook-service.ts';

export { ltiUserId } from './launch-service.ts';
export { type GradeSource, type JobQueue, type LmsDeps, LmsError } from './service-common.ts';
export type { InboundEvent } from './webhook-service.ts';

type Webhooks = WebhookService;
type Launches = LaunchService;
type Passback = PassbackService;

/** The LMS use cases behind one object; each method is documented where it is implemented. */
export class LmsService {
  private readonly webhooks: WebhookService;
  private readonly launches: LaunchService;
  private readonly passback: PassbackService;

  constructor(deps: LmsDeps) {
    this.webhooks = new WebhookService(deps);
    this.launches = new LaunchService(deps);
    this.passback = new PassbackService(deps, this.webhooks, this.launches);
  }

  // --- outbound webhooks (webhook-service.ts) ---------------------------------------------

  createEndpoint(...a: Parameters<Webhooks['createEndpoint']>): ReturnType<Webhooks['createEndpoint']> {
    return this.webhooks.createEndpoint(...a);
  }
  rotateSecret(...a: Parameters<Webhooks['rotateSecret']>): ReturnType<Webhooks['rotateSecret']> {
    return this.webhooks.rotateSecret(...a);
  }
  listEndpoints(...a: Parameters<Webhooks['listEndpoints']>): ReturnType<Webhooks['listEndpoints']> {
    return this.webhooks.listEndpoints(...a);
  }
  emit(...a: Parameters<Webhooks['emit']>): ReturnType<Webhooks['emit']> {
    return this.webhooks.emit(...a);
  }
  deliver(...a: Parameters<Webhooks['deliver']>): ReturnType<Webhooks['deliver']> {
    return this.webhooks.deliver(...a);
  }
  deliveries(...a: Parameters<Webhooks['deliveries']>): ReturnType<Webhooks['deliveries']> {
    return this.webhooks.deliveries(...a);
  }
  replay(...a: Parameters<Webhooks['replay']>): ReturnType<Webhooks['replay']> {
    return this.webhooks.replay(...a);
  }

  // --- inbound webhooks (webhook-service.ts) ----------------------------------------------

  newInboundSecret(...a: Parameters<Webhooks['newInboundSecret']>): ReturnType<Webhooks['newInboundSecret']> {
    return this.webhooks.newInboundSecret(...a);
  }
  receive(...a: Parameters<Webhooks['receive']>): ReturnType<Webhooks['receive']> {
    return this.webhooks.receive(...a);
  }
  releaseInbound(...a: Parameters<Webhooks['releaseInbound']>): ReturnType<Webhooks['releaseInbound']> {
    return this.webhooks.releaseInbound(...a);
  }

  // --- LTI 1.3 (launch-service.ts) ----------------------------------------------------------

  toolKey(): ReturnType<Launches['toolKey']> {
    return this.launches.toolKey();
  }
  jwks(): ReturnType<Launches['jwks']> {
    return this.launches.jwks();
  }
  register(...a: Parameters<Launches['register']>): ReturnType<Launches['register']> {
    return this.launches.register(...a);
  }
  login(...a: Parameters<Launches['login']>): ReturnType<Launches['login']> {
    return this.launches.login(...a);
  }
  launch(...a: Parameters<Launches['launch']>): ReturnType<Launches['launch']> {
    return this.launches.launch(...a);
  }

  // --- grade passback (passback-service.ts) -------------------------------------------------

  gradeChanged(...a: Parameters<Passback['gradeChanged']>): ReturnType<Passback['gradeChanged']> {
    return this.passback.gradeChanged(...a);
  }
  resync(...a: Parameters<Passback['resync']>): ReturnType<Passback['resync']> {
    return this.passback.resync(...a);
  }
  syncStatus(...a: Parameters<Passback['syncStatus']>): ReturnType<Passback['syncStatus']> {
    return this.passback.syncStatus(...a);
  }
  sync(...a: Parameters<Passback['sync']>): ReturnType<Passback['sync']> {
    return this.passback.sync(...a);
  }
}
