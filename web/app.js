/**
 * podlab's page: a student submits a lab and sees what their Pod did; an instructor sees the
 * course's scenarios, submissions, pass rates, deliveries and LMS sync. Plain ES modules, no
 * build step and no framework: the page is small, and everything it needs is served by podlab.
 */
import { html, raw, setHtml } from './html.js';
import { markdown } from './markdown.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const TOKEN_KEY = 'podlab.token';

let me = null;

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Calls the API; resolves to { status, body } (JSON when the answer is JSON). */
async function api(path, { method = 'GET', body, type, accept } = {}) {
  const headers = { authorization: `Bearer ${token()}` };
  if (type) headers['content-type'] = type;
  if (accept) headers.accept = accept;
  const res = await fetch(path, { method, headers, body });
  const text = await res.text();
  let json;
  try {
    json = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json ?? text, headers: res.headers };
}

function errorText(r) {
  return r.body?.error?.message ?? `the server answered ${r.status}`;
}

let rendered = false;

/** Shows a view: an `html` fragment in the main landmark, and its title. */
function show(fragment, title) {
  setHtml(main, fragment);
  document.title = title ? `${title} · podlab` : 'podlab';
  // After a navigation, focus moves to the new content (screen readers announce it); on the
  // first load it stays at the top so the skip link comes first.
  if (rendered) main.focus();
  rendered = true;
}

function signIn(message) {
  setHtml(nav, html``);
  who.textContent = '';
  show(
    html`<h1>Sign in</h1>
     <p>Paste the token your instructor (or <code>podlab token create</code>) gave you. It stays in this browser tab only.</p>
     ${message && html`<p class="notice" role="alert">${message}</p>`}
     <form id="signin"><label for="token">Token</label>
       <div class="row"><input id="token" name="token" type="password" autocomplete="off" size="50" required>
       <button class="primary" type="submit">Sign in</button></div></form>`,
    'Sign in',
  );
  document.getElementById('signin').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    me = null;
    route();
  });
}

/** The signed-in user, or `{ refused }` with the server's reason (unknown or expired token). */
async function whoAmI() {
  if (me) return me;
  const r = await api('/v1/me');
  if (r.status !== 200) return { refused: r.status === 401 ? errorText(r) : 'That token was not accepted.' };
  me = r.body;
  who.textContent = `${me.user} · ${me.role} · course ${me.course}`;
  setHtml(
    nav,
    html`<a href="#/">Labs</a>${me.role === 'instructor' && html`<a href="#/instructor">Instructor</a>`}<a href="#/signout">Sign out</a>`,
  );
  return me;
}

/** A refusal or failure, announced. */
function notice(text) {
  return html`<p class="notice" role="alert">${text}</p>`;
}

async function labsPage() {
  const r = await api('/v1/scenarios');
  if (r.status !== 200) return show(notice(errorText(r)));
  const items = r.body.items ?? r.body;
  show(
    html`<h1>Labs</h1>
     <ul class="cards">${items.map(
       (s) =>
         html`<li><a href="#/labs/${encodeURIComponent(s.name)}"><strong>${s.title ?? s.name}</strong></a><br><span class="muted">${s.name}</span></li>`,
     )}</ul>`,
    'Labs',
  );
}

function editorHtml(initial) {
  return html`<label for="yaml">Your manifests (YAML)</label>
    <div class="editor"><pre class="gutter" id="gutter" aria-hidden="true"></pre>
    <textarea id="yaml" spellcheck="false" autocapitalize="off" aria-describedby="yaml-help">${initial}</textarea></div>
    <p id="yaml-help" class="muted">Pods and Services, several documents separated by <code>---</code>. Tab inserts two spaces.</p>`;
}

function wireEditor(errorLines = new Set()) {
  const ta = document.getElementById('yaml');
  const gutter = document.getElementById('gutter');
  const paint = () => {
    const n = ta.value.split('\n').length;
    const numbers = [];
    for (let i = 1; i <= n; i++)
      numbers.push(
        errorLines.has(i) ? html`<span class="err" title="error on this line">${i}</span>\n` : `${i}\n`,
      );
    setHtml(gutter, html`${numbers}`);
    gutter.scrollTop = ta.scrollTop;
  };
  ta.addEventListener('input', paint);
  ta.addEventListener('scroll', () => {
    gutter.scrollTop = ta.scrollTop;
  });
  ta.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey) {
      e.preventDefault();
      const { selectionStart: a, selectionEnd: b } = ta;
      ta.value = `${ta.value.slice(0, a)}  ${ta.value.slice(b)}`;
      ta.selectionStart = ta.selectionEnd = a + 2;
      paint();
    }
  });
  paint();
  return (lines) => {
    errorLines = lines;
    paint();
  };
}

function resultHtml(result, id) {
  const tests = result.tests ?? [];
  const checks = tests.map((t) => {
    // A student's view has one entry for all hidden checks: no id, and no score or status
    // when the lab hides their score.
    const state = t.status ?? 'concealed';
    const badge = t.status === 'passed' ? '✓ passed' : t.status === 'failed' ? '✗ failed' : 'hidden';
    const points = t.score === undefined ? 'score not shown' : `${t.score}/${t.max_score}`;
    const hint =
      t.status === 'failed' &&
      t.hint &&
      html`<div class="hint"><strong>Hint:</strong> ${markdown(t.hint)}</div>`;
    return html`<li class="${state}"><span class="badge ${state}">${badge}</span>
        <strong>${t.name ?? t.id}</strong> <span class="muted">${points}</span>
        ${t.output && html`<div>${t.output}</div>`}${hint}</li>`;
  });
  const partial = result.extra_data?.hidden_checks?.in_total === false;
  const errors = (result.errors ?? []).map(
    (e) =>
      html`<li>${e.line ? html`<a href="#" data-line="${e.line}">line ${e.line}${e.column ? `:${e.column}` : ''}</a> ` : ''}${e.message}</li>`,
  );
  const warnings = (result.warnings ?? []).map(
    (w) => html`<li>${w.line ? `line ${w.line}: ` : ''}${w.message}</li>`,
  );
  return html`<section aria-labelledby="result-h" id="result">
    <h2 id="result-h">Result</h2>
    <p class="row"><span class="score" data-testid="score">${result.score} / ${result.max_score}</span>
      ${partial && html`<span class="muted">visible checks only</span>`}
      <span class="badge ${result.status}">${result.status}</span>
      ${id && html`<span class="muted">submission ${id}</span>`}</p>
    ${errors.length > 0 && html`<h3>What kubectl would print</h3><ul class="errors">${errors}</ul>`}
    <h3>Checks</h3><ul class="checks">${checks}</ul>
    ${warnings.length > 0 && html`<h3>Careful on a real cluster</h3><ul>${warnings}</ul>`}
    ${result.status === 'graded' && html`<h3>Timeline</h3><div class="timeline" id="timeline" aria-live="polite"><p class="muted">Drawing…</p></div>`}
    ${result.transcript && html`<h3>kubectl get pods -w</h3><pre data-testid="transcript">${result.transcript}</pre>`}
  </section>`;
}

async function drawTimeline(id) {
  const box = document.getElementById('timeline');
  if (!box || !id) return;
  const r = await api(`/v1/submissions/${encodeURIComponent(id)}/timeline.svg`, { accept: 'image/svg+xml' });
  // The picture comes from podlab's own printer (timelineSvg), which escapes every text it draws.
  setHtml(
    box,
    r.status === 200 && typeof r.body === 'string' && r.body.startsWith('<svg')
      ? raw(r.body)
      : html`<p class="muted">No timeline: ${errorText(r)}</p>`,
  );
}

async function attemptsHtml(name) {
  const r = await api(`/v1/me/submissions?scenario=${encodeURIComponent(name)}`);
  if (r.status !== 200) return html``;
  const items = r.body.items ?? [];
  if (items.length === 0) return html`<p class="muted">No attempts yet.</p>`;
  return html`<table><thead><tr><th scope="col">Attempt</th><th scope="col">When</th><th scope="col">Score</th><th scope="col">Status</th></tr></thead><tbody>${items.map(
    (s) =>
      html`<tr><td><a href="#/submissions/${encodeURIComponent(s.id)}">${s.attempt ?? '—'}</a></td><td>${s.submitted_at}</td><td>${s.score}/${s.max_score}</td><td><span class="badge ${s.status}">${s.status}</span></td></tr>`,
  )}</tbody></table>`;
}

async function labPage(name) {
  const r = await api(`/v1/scenarios/${encodeURIComponent(name)}`);
  if (r.status !== 200) return show(notice(errorText(r)));
  const s = r.body.scenario ?? r.body;
  const title = s.metadata?.title ?? s.title ?? name;
  const instructions = s.spec?.instructions ?? s.instructions ?? '';
  const draftKey = `podlab.draft.${name}`;
  show(
    html`<h1>${title}</h1>
     <div class="grid2">
       <section aria-labelledby="ins-h"><h2 id="ins-h">Instructions</h2><div class="instructions">${markdown(instructions)}</div>
         <h2>Your attempts</h2><div id="attempts"><p class="muted">Loading…</p></div></section>
       <section aria-labelledby="sub-h"><h2 id="sub-h">Your answer</h2>
         <form id="submit-form">${editorHtml(localStorage.getItem(draftKey) ?? '')}
           <div class="row"><button class="primary" type="submit" id="submit">Submit</button>
           <label class="visually-hidden" for="file">Load a YAML file</label><input type="file" id="file" accept=".yaml,.yml,text/yaml">
           <span id="status" role="status" class="muted"></span></div></form></section>
     </div>
     <div id="result-box"></div>`,
    title,
  );
  const setErrors = wireEditor();
  const ta = document.getElementById('yaml');
  ta.addEventListener('input', () => localStorage.setItem(draftKey, ta.value));
  document.getElementById('file').addEventListener('change', async (e) => {
    const f = e.target.files?.[0];
    if (f) {
      ta.value = await f.text();
      ta.dispatchEvent(new Event('input'));
    }
  });
  const refreshAttempts = async () => {
    setHtml(document.getElementById('attempts'), await attemptsHtml(name));
  };
  refreshAttempts();
  document.getElementById('submit-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = document.getElementById('submit');
    const status = document.getElementById('status');
    button.disabled = true;
    status.textContent = 'Grading…';
    const res = await api(`/v1/scenarios/${encodeURIComponent(name)}/submissions`, {
      method: 'POST',
      body: ta.value,
      type: 'text/yaml',
    });
    button.disabled = false;
    if (res.status !== 200 && res.status !== 201) {
      status.textContent = '';
      setHtml(document.getElementById('result-box'), notice(errorText(res)));
      return;
    }
    status.textContent = 'Graded.';
    const result = res.body.result ?? res.body;
    const id = res.body.id ?? res.body.submission?.id;
    setHtml(document.getElementById('result-box'), resultHtml(result, id));
    const lines = new Set((result.errors ?? []).map((x) => x.line).filter(Boolean));
    setErrors(lines);
    for (const a of document.querySelectorAll('[data-line]'))
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        const line = Number(a.dataset.line);
        const offset =
          ta.value
            .split('\n')
            .slice(0, line - 1)
            .join('\n').length + (line > 1 ? 1 : 0);
        ta.focus();
        ta.setSelectionRange(offset, offset);
        ta.scrollTop = (line - 3) * 20;
      });
    document.getElementById('result').scrollIntoView({ block: 'start' });
    drawTimeline(id);
    refreshAttempts();
  });
}

async function submissionPage(id) {
  const r = await api(`/v1/submissions/${encodeURIComponent(id)}`);
  if (r.status !== 200) return show(notice(errorText(r)));
  const sub = r.body;
  show(
    html`<h1>Submission ${id}</h1><p class="muted">${sub.scenario} · ${sub.student ?? ''} · ${sub.submitted_at ?? ''}</p>
     <details><summary>Submitted YAML</summary><pre>${sub.manifest ?? ''}</pre></details>${resultHtml(sub.result ?? sub, id)}`,
    `Submission ${id}`,
  );
  drawTimeline(id);
}

function barChart(title, rows, max) {
  const width = 520;
  const rowH = 22;
  const height = rows.length * rowH + 10;
  const bars = rows.map(([label, value, text], i) => {
    const w = max > 0 ? Math.round((value / max) * 300) : 0;
    return html`<text x="0" y="${i * rowH + 15}">${label}</text><rect class="bar" x="180" y="${i * rowH + 4}" width="${w}" height="14"><title>${label}: ${text}</title></rect><text x="${186 + w}" y="${i * rowH + 15}">${text}</text>`;
  });
  return html`<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" aria-labelledby="c-${title}"><title id="c-${title}">${title}</title>${bars}</svg>`;
}

async function instructorHome() {
  const r = await api('/v1/scenarios');
  if (r.status !== 200) return show(notice(errorText(r)));
  const items = r.body.items ?? r.body;
  show(
    html`<h1>Instructor · course ${me.course}</h1>
     <table><thead><tr><th scope="col">Scenario</th><th scope="col">Title</th><th scope="col">Version</th></tr></thead><tbody>${items.map(
       (s) =>
         html`<tr><td><a href="#/instructor/${encodeURIComponent(s.name)}">${s.name}</a></td><td>${s.title ?? ''}</td><td><code>${(s.version ?? '').slice(0, 19)}</code></td></tr>`,
     )}</tbody></table>
     <h2>Webhook deliveries</h2><div id="deliveries"><p class="muted">Loading…</p></div>`,
    'Instructor',
  );
  const d = await api('/v1/webhooks/deliveries');
  const box = document.getElementById('deliveries');
  if (d.status !== 200) {
    setHtml(box, html`<p class="muted">${errorText(d)}</p>`);
    return;
  }
  const rows = d.body.items ?? [];
  setHtml(
    box,
    rows.length
      ? html`<table><thead><tr><th scope="col">Message</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col"></th></tr></thead><tbody>${rows.map(
          (m) =>
            html`<tr><td><code>${m.id}</code></td><td>${m.type}</td><td>${m.state}</td><td>${(m.attempts ?? []).map((a) => a.status ?? a.error ?? '?').join(', ')}</td><td>${m.state !== 'pending' && html`<button data-replay="${m.id}">Replay</button>`}</td></tr>`,
        )}</tbody></table>`
      : html`<p class="muted">No deliveries yet.</p>`,
  );
  for (const b of box.querySelectorAll('[data-replay]'))
    b.addEventListener('click', async () => {
      const res = await api(`/v1/webhooks/deliveries/${encodeURIComponent(b.dataset.replay)}/replay`, {
        method: 'POST',
      });
      b.textContent = res.status < 300 ? 'Queued' : 'Failed';
      b.disabled = true;
    });
}

async function instructorScenario(name) {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const student = params.get('student') ?? '';
  const minScore = params.get('min') ?? '';
  const [stats, subs, versions, sync] = await Promise.all([
    api(`/v1/scenarios/${encodeURIComponent(name)}/stats`),
    api(`/v1/scenarios/${encodeURIComponent(name)}/submissions?limit=100`),
    api(`/v1/scenarios/${encodeURIComponent(name)}/versions`),
    api(`/v1/lti/sync?scenario=${encodeURIComponent(name)}`),
  ]);
  const st = stats.status === 200 ? stats.body : null;
  const checks = st?.checks ?? [];
  const passChart = barChart(
    'Pass rate per check',
    checks.map((c) => [c.id, c.pass_rate ?? 0, `${Math.round((c.pass_rate ?? 0) * 100)}%`]),
    1,
  );
  const hist = st?.score_histogram ?? [];
  const histChart = barChart(
    'Score distribution',
    hist.map((b) => [`score ${b.score}`, b.count, String(b.count)]),
    Math.max(1, ...hist.map((b) => b.count)),
  );
  let items = subs.status === 200 ? (subs.body.items ?? []) : [];
  if (student) items = items.filter((s) => s.student.includes(student));
  if (minScore !== '') items = items.filter((s) => s.score >= Number(minScore));
  const syncRows = sync.status === 200 ? (sync.body.items ?? []) : [];
  show(
    html`<h1>${name}</h1>
     <p class="row"><button id="regrade">Regrade every submission</button><span id="regrade-status" role="status"></span></p>
     ${st && html`<p>${st.attempts ?? 0} attempts by ${st.students ?? 0} students; pass rate ${Math.round((st.pass_rate ?? 0) * 100)}%.</p>`}
     <div class="grid2"><section><h2>Pass rate per check</h2>${passChart}</section><section><h2>Scores</h2>${histChart}</section></div>
     <h2>Submissions</h2>
     <form id="filter" class="row"><label for="f-student">Student</label><input id="f-student" value="${student}">
       <label for="f-min">Minimum score</label><input id="f-min" type="number" min="0" value="${minScore}"><button type="submit">Filter</button></form>
     <table><thead><tr><th scope="col">Student</th><th scope="col">Attempt</th><th scope="col">When</th><th scope="col">Score</th><th scope="col">Status</th></tr></thead><tbody>${items.map(
       (s) =>
         html`<tr><td>${s.student}</td><td><a href="#/submissions/${encodeURIComponent(s.id)}">${s.attempt ?? '—'}</a></td><td>${s.submitted_at}</td><td>${s.score}/${s.max_score}</td><td>${s.status}</td></tr>`,
     )}</tbody></table>
     <p><a href="/v1/scenarios/${encodeURIComponent(name)}/submissions?format=csv" id="csv">Download CSV</a></p>
     <h2>Versions</h2><ul>${(versions.status === 200 ? (versions.body.items ?? []) : []).map((v) => html`<li><code>${v.version}</code> ${v.created_at ?? ''}${v.current && ' (current)'}</li>`)}</ul>
     <h2>LMS grade sync</h2>${
       syncRows.length
         ? html`<table><thead><tr><th scope="col">Student</th><th scope="col">State</th><th scope="col">Score</th><th scope="col">Why</th></tr></thead><tbody>${syncRows.map(
             (r) =>
               html`<tr><td>${r.student}</td><td>${r.state}</td><td>${r.scoreGiven ?? ''}</td><td>${r.message ?? ''}</td></tr>`,
           )}</tbody></table><button id="resync">Resync all</button>`
         : html`<p class="muted">No student of this lab came from an LMS launch.</p>`
     }`,
    name,
  );
  document.getElementById('filter').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams({
      student: document.getElementById('f-student').value,
      min: document.getElementById('f-min').value,
    });
    location.hash = `#/instructor/${encodeURIComponent(name)}?${q}`;
  });
  document.getElementById('csv').addEventListener('click', async (e) => {
    e.preventDefault();
    const r = await api(`/v1/scenarios/${encodeURIComponent(name)}/submissions`, { accept: 'text/csv' });
    const url = URL.createObjectURL(new Blob([r.body], { type: 'text/csv' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${name}.csv` });
    a.click();
    URL.revokeObjectURL(url);
  });
  document.getElementById('regrade').addEventListener('click', async (e) => {
    e.target.disabled = true;
    const r = await api(`/v1/scenarios/${encodeURIComponent(name)}/regrade`, { method: 'POST' });
    document.getElementById('regrade-status').textContent =
      r.status < 300 ? `Regraded: ${JSON.stringify(r.body)}` : errorText(r);
    e.target.disabled = false;
  });
  document.getElementById('resync')?.addEventListener('click', async (e) => {
    const r = await api('/v1/lti/sync', {
      method: 'POST',
      body: JSON.stringify({ scenario: name }),
      type: 'application/json',
    });
    e.target.textContent = r.status < 300 ? 'Queued' : errorText(r);
  });
}

async function route() {
  const hash = location.hash || '#/';
  const [path, query = ''] = hash.slice(1).split('?');
  if (path === '/lti') {
    // An LTI launch lands here with a session token in the fragment (never sent to servers or logs).
    const q = new URLSearchParams(query);
    if (q.get('token')) sessionStorage.setItem(TOKEN_KEY, q.get('token'));
    me = null;
    history.replaceState(
      null,
      '',
      q.get('scenario') ? `#/labs/${encodeURIComponent(q.get('scenario'))}` : '#/',
    );
    return route();
  }
  if (path === '/signout') {
    sessionStorage.removeItem(TOKEN_KEY);
    me = null;
    history.replaceState(null, '', '#/');
    return signIn();
  }
  if (!token()) return signIn();
  const user = await whoAmI();
  if (user.refused) {
    sessionStorage.removeItem(TOKEN_KEY);
    return signIn(user.refused === 'invalid token' ? 'That token was not accepted.' : user.refused);
  }
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'labs' && parts[1]) return labPage(parts[1]);
  if (parts[0] === 'submissions' && parts[1]) return submissionPage(parts[1]);
  if (parts[0] === 'instructor' && user.role === 'instructor')
    return parts[1] ? instructorScenario(parts[1]) : instructorHome();
  return labsPage();
}

window.addEventListener('hashchange', route);
route();
