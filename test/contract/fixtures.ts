/** Scenario and submission texts shared by the contract tests. */

/** A scenario that uses every key of section 1 at least once. */
export const EVERY_KEY = `apiVersion: podlab/v1
kind: Scenario
metadata:
  name: every-key
  title: Every key of the format
  labels: {unit: pod-lifecycle, level: "1"}
spec:
  instructions: |
    Write a Pod named **web** running \`registry.example/app:1.0\`.
  submission:
    allowedKinds: [Pod, Service]
    maxBytes: 65536
    required:
      - {kind: Pod, name: web}
  setup:
    - |
      apiVersion: v1
      kind: Service
      metadata: {name: websvc}
      spec:
        selector: {app: web}
        ports: [{port: 80, targetPort: 8080}]
  actions:
    - at: 30s
      exec:
        pod: web
        container: web
        command: [touch, /tmp/touched]
    - at: 1m30s
      apply: |
        apiVersion: v1
        kind: Service
        metadata: {name: later}
        spec:
          ports: [{port: 80}]
    - at: 2m
      delete: {kind: Pod, name: web, gracePeriodSeconds: 30, force: false}
  duration: 1h
  cluster:
    busyboxShortNameLookup: strict
    imagePullSeconds: 2
  images:
    registry.example/app:1.0:
      command: [sh, -c, "sleep 3600"]
      listens:
        - port: 8080
          http: {"/healthz": 200, "/": 200}
      stopSignal: SIGTERM
      files: {/app/config.yaml: "x: 1\\n"}
  checks:
    - id: running
      title: Running and ready
      points: 2
      visibility: visible
      hint: Give the Pod a readiness probe on /healthz.
      at: 90s
      pod: web
      expect:
        exists: true
        phase: Running
        status: Running
        ready: "1/1"
        restarts: 0
        conditions: {Ready: "True", Initialized: "True"}
        containers:
          web: {state: running, ready: true, started: true, restarts: {min: 0, max: 0}}
    - id: ready-bool
      within: [0s, 10s]
      pod: web
      expect: {ready: true}
    - id: endpoints
      throughout: [10s, 60s]
      service: {name: websvc, readyEndpoints: 1}
    - id: pulled-in-2s
      within: [0s, 5s]
      event: {pod: web, reason: Pulled, messageRegex: 'Successfully pulled image "registry\\.example/app:1\\.0" in 2s', count: 1}
    - id: config-file
      at: 10s
      exec: {pod: web, container: web, command: [cat, /app/config.yaml], exitCode: 0, stdout: "x: 1", stderr: ""}
    - id: action-exec-ran
      at: 31s
      exec: {pod: web, command: [test, -e, /tmp/touched], exitCode: 0}
    - id: later-service
      at: 91s
      service: {name: later, exists: true}
    - id: deleted
      at: 3m
      pod: web
      expect: {exists: false}
    - id: image
      visibility: hidden
      manifest: {kind: Pod, name: web, path: "spec.containers[name=web].image", equals: "registry.example/app:1.0"}
    - id: pull-policy
      visibility: after_due_date
      manifest: {kind: Pod, name: web, path: "spec.containers[0].imagePullPolicy", oneOf: [IfNotPresent, Always]}
    - id: port
      manifest: {kind: Pod, name: web, path: "spec.containers[0].ports[0].containerPort", exists: true}
    - id: name
      manifest: {kind: Pod, name: web, path: metadata.name, matches: "^w.b$"}
    - id: bare-seconds
      at: 5
      pod: web
      expect: {phase: Running}
`;

/** A correct answer to EVERY_KEY. */
export const EVERY_KEY_ANSWER = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
    - name: web
      image: registry.example/app:1.0
      ports: [{containerPort: 8080}]
      readinessProbe:
        httpGet: {path: /healthz, port: 8080}
`;
