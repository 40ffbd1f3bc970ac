/**
 * podlab's page: a student submits a lab and sees what their Pod did; an instructor sees the
 * course's scenarios, submissions, pass rates, deliveries and LMS sync. Plain ES modules, no
 * build step and no framework: the page is small, and everything it needs is served by podlab.
 */
import { escapeHtml, renderMarkdown } from './markdown.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const TOKEN_KEY = 'podlab.token';

const h = escapeHtml;
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

function show(html, title) {
  main.innerHTML = html;
  document.title = title ? `${title} · podlab` : 'podlab';
  // After a navigation, focus moves to the new content (screen readers announce it); on the
  // first load it stays at the top so the skip link comes first.
  if (rendered) main.focus();
  rendered = true;
}

function signIn(message) {
  nav.innerHTML = '';
  who.textContent = '';
  show(
    `<h1>Sign in</h1>
     <p>Paste the token your instructor (or <code>podlab token create</code>) gave you. It stays in this browser tab only.</p>
     ${message ? `<p class="notice" role="alert">${h(message)}</p>` : ''}
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
  nav.innerHTML = `<a href="#/">Labs</a>${me.role === 'instructor' ? '<a href="#/instructor">Instructor</a>' : ''}<a href="#/signout">Sign out</a>`;
  return me;
}

async function labsPage() {
  const r = await api('/v1/scenarios');
  if (r.status !== 200) return show(`<p class="notice" role="alert">${h(errorText(r))}</p>`);
  const items = r.body.items ?? r.body;
  show(
    `<h1>Labs</h1>
     <ul class="cards">${items
       .map(
         (s) =>
           `<li><a href="#/labs/${encodeURIComponent(s.name)}"><strong>${h(s.title ?? s.name)}</strong></a><br><span class="muted">${h(s.name)}</span></li>`,
       )
       .join('')}</ul>`,
    'Labs',
  );
}

function editorHtml(initial) {
  return `<label for="yaml">Your manifests (YAML)</label>
    <div class="editor"><pre class="gutter" id="gutter" aria-hidden="true"></pre>
    <textarea id="yaml" spellcheck="false" autocapitalize="off" aria-describedby="yaml-help">${h(initial)}</textarea></div>
    <p id="yaml-help" class="muted">Pods and Services, several documents separated by <code>---</code>. Tab inserts two spaces.</p>`;
}

function wireEditor(errorLines = new Set()) {
  const ta = document.getElementById('yaml');
  const gutter = document.getElementById('gutter');
  const paint = () => {
    const n = ta.value.split('\n').length;
    let s = '';
    for (let i = 1; i <= n; i++)
      s += errorLines.has(i) ? `<span class="err" title="error on this line">${i}</span>\n` : `${i}\n`;
    gutter.innerHTML = s;
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
  const checks = tests
    .map((t) => {
      // A student's view has one entry for all hidden checks: no id, and no score or status
      // when the lab hides their score.
      const state = t.status ?? 'concealed';
      const badge = t.status === 'passed' ? '✓ passed' : t.status === 'failed' ? '✗ failed' : 'hidden';
      const points = t.score === undefined ? 'score not shown' : `${t.score}/${t.max_score}`;
      const hint =
        t.status === 'failed' && t.hint
          ? `<div class="hint"><strong>Hint:</strong> ${renderMarkdown(t.hint)}</div>`
          : '';
      return `<li class="${h(state)}"><span class="badge ${h(state)}">${badge}</span>
        <strong>${h(t.name ?? t.id)}</strong> <span class="muted">${h(points)}</span>
        ${t.output ? `<div>${h(t.output)}</div>` : ''}${hint}</li>`;
    })
    .join('');
  const partial = result.extra_data?.hidden_checks?.in_total === false;
  const errors = (result.errors ?? [])
    .map(
      (e) =>
        `<li>${e.line ? `<a href="#" data-line="${h(e.line)}">line ${h(e.line)}${e.column ? `:${h(e.column)}` : ''}</a> ` : ''}${h(e.message)}</li>`,
    )
    .join('');
  const warnings = (result.warnings ?? [])
    .map((w) => `<li>${w.line ? `line ${h(w.line)}: ` : ''}${h(w.message)}</li>`)
    .join('');
  return `<section aria-labelledby="result-h" id="result">
    <h2 id="result-h">Result</h2>
    <p class="row"><span class="score" data-testid="score">${h(result.score)} / ${h(result.max_score)}</span>
      ${partial ? '<span class="muted">visible checks only</span>' : ''}
      <span class="badge ${h(result.status)}">${h(result.status)}</span>
      ${id ? `<span class="muted">submission ${h(id)}</span>` : ''}</p>
    ${errors ? `<h3>What kubectl would print</h3><ul class="errors">${errors}</ul>` : ''}
    <h3>Checks</h3><ul class="checks">${checks}</ul>
    ${warnings ? `<h3>Careful on a real cluster</h3><ul>${warnings}</ul>` : ''}
    ${result.status === 'graded' ? '<h3>Timeline</h3><div class="timeline" id="timeline" aria-live="polite"><p class="muted">Drawing…</p></div>' : ''}
    ${result.transcript ? `<h3>kubectl get pods -w</h3><pre data-testid="transcript">${h(result.transcript)}</pre>` : ''}
  </section>`;
}

async function drawTimeline(id) {
  const box = document.getElementById('timeline');
  if (!box || !id) return;
  const r = await api(`/v1/submissions/${encodeURIComponent(id)}/timeline.svg`, { accept: 'image/svg+xml' });
  box.innerHTML =
    r.status === 200 && typeof r.body === 'string' && r.body.startsWith('<svg')
      ? r.body
      : `<p class="muted">No timeline: ${h(errorText(r))}</p>`;
}

async function attemptsHtml(name) {
  const r = await api(`/v1/me/submissions?scenario=${encodeURIComponent(name)}`);
  if (r.status !== 200) return '';
  const items = r.body.items ?? [];
  if (items.length === 0) return '<p class="muted">No attempts yet.</p>';
  return `<table><thead><tr><th scope="col">Attempt</th><th scope="col">When</th><th scope="col">Score</th><th scope="col">Status</th></tr></thead><tbody>${items
    .map(
      (s) =>
        `<tr><td><a href="#/submissions/${encodeURIComponent(s.id)}">${s.attempt ?? '—'}</a></td><td>${h(s.submitted_at)}</td><td>${h(s.score)}/${h(s.max_score)}</td><td><span class="badge ${h(s.status)}">${h(s.status)}</span></td></tr>`,
    )
    .join('')}</tbody></table>`;
}

async function labPage(name) {
  const r = await api(`/v1/scenarios/${encodeURIComponent(name)}`);
  if (r.status !== 200) return show(`<p class="notice" role="alert">${h(errorText(r))}</p>`);
  const s = r.body.scenario ?? r.body;
  const title = s.metadata?.title ?? s.title ?? name;
  const instructions = s.spec?.instructions ?? s.instructions ?? '';
  const draftKey = `podlab.draft.${name}`;
  show(
    `<h1>${h(title)}</h1>
     <div class="grid2">
       <section aria-labelledby="ins-h"><h2 id="ins-h">Instructions</h2><div class="instructions">${renderMarkdown(instructions)}</div>
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
    document.getElementById('attempts').innerHTML = await attemptsHtml(name);
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
      document.getElementById('result-box').innerHTML =
        `<p class="notice" role="alert">${h(errorText(res))}</p>`;
      return;
    }
    status.textContent = 'Graded.';
    const result = res.body.result ?? res.body;
    const id = res.body.id ?? res.body.submission?.id;
    document.getElementById('result-box').innerHTML = resultHtml(result, id);
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
  if (r.status !== 200) return show(`<p class="notice" role="alert">${h(errorText(r))}</p>`);
  const sub = r.body;
  show(
    `<h1>Submission ${h(id)}</h1><p class="muted">${h(sub.scenario)} · ${h(sub.student ?? '')} · ${h(sub.submitted_at ?? '')}</p>
     <details><summary>Submitted YAML</summary><pre>${h(sub.manifest ?? '')}</pre></details>${resultHtml(sub.result ?? sub, id)}`,
    `Submission ${id}`,
  );
  drawTimeline(id);
}

function barChart(title, rows, max) {
  const width = 520;
  const rowH = 22;
  const height = rows.length * rowH + 10;
  const bars = rows
    .map(([label, value, text], i) => {
      const w = max > 0 ? Math.round((value / max) * 300) : 0;
      return `<text x="0" y="${i * rowH + 15}">${h(label)}</text><rect class="bar" x="180" y="${i * rowH + 4}" width="${w}" height="14"><title>${h(label)}: ${h(text)}</title></rect><text x="${186 + w}" y="${i * rowH + 15}">${h(text)}</text>`;
    })
    .join('');
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" aria-labelledby="c-${h(title)}"><title id="c-${h(title)}">${h(title)}</title>${bars}</svg>`;
}

async function instructorHome() {
  const r = await api('/v1/scenarios');
  if (r.status !== 200) return show(`<p class="notice" role="alert">${h(errorText(r))}</p>`);
  const items = r.body.items ?? r.body;
  show(
    `<h1>Instructor · course ${h(me.course)}</h1>
     <table><thead><tr><th scope="col">Scenario</th><th scope="col">Title</th><th scope="col">Version</th></tr></thead><tbody>${items
       .map(
         (s) =>
           `<tr><td><a href="#/instructor/${encodeURIComponent(s.name)}">${h(s.name)}</a></td><td>${h(s.title ?? '')}</td><td><code>${h((s.version ?? '').slice(0, 19))}</code></td></tr>`,
       )
       .join('')}</tbody></table>
     <h2>Webhook deliveries</h2><div id="deliveries"><p class="muted">Loading…</p></div>`,
    'Instructor',
  );
  const d = await api('/v1/webhooks/deliveries');
  const box = document.getElementById('deliveries');
  if (d.status !== 200) {
    box.innerHTML = `<p class="muted">${h(errorText(d))}</p>`;
    return;
  }
  const rows = d.body.items ?? [];
  box.innerHTML = rows.length
    ? `<table><thead><tr><th scope="col">Message</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col"></th></tr></thead><tbody>${rows
        .map(
          (m) =>
            `<tr><td><code>${h(m.id)}</code></td><td>${h(m.type)}</td><td>${h(m.state)}</td><td>${(m.attempts ?? []).map((a) => h(a.status ?? a.error ?? '?')).join(', ')}</td><td>${m.state !== 'pending' ? `<button data-replay="${h(m.id)}">Replay</button>` : ''}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="muted">No deliveries yet.</p>';
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
    `<h1>${h(name)}</h1>
     <p class="row"><button id="regrade">Regrade every submission</button><span id="regrade-status" role="status"></span></p>
     ${st ? `<p>${h(st.attempts ?? 0)} attempts by ${h(st.students ?? 0)} students; pass rate ${h(Math.round((st.pass_rate ?? 0) * 100))}%.</p>` : ''}
     <div class="grid2"><section><h2>Pass rate per check</h2>${passChart}</section><section><h2>Scores</h2>${histChart}</section></div>
     <h2>Submissions</h2>
     <form id="filter" class="row"><label for="f-student">Student</label><input id="f-student" value="${h(student)}">
       <label for="f-min">Minimum score</label><input id="f-min" type="number" min="0" value="${h(minScore)}"><button type="submit">Filter</button></form>
     <table><thead><tr><th scope="col">Student</th><th scope="col">Attempt</th><th scope="col">When</th><th scope="col">Score</th><th scope="col">Status</th></tr></thead><tbody>${items
       .map(
         (s) =>
           `<tr><td>${h(s.student)}</td><td><a href="#/submissions/${encodeURIComponent(s.id)}">${h(s.attempt ?? '—')}</a></td><td>${h(s.submitted_at)}</td><td>${h(s.score)}/${h(s.max_score)}</td><td>${h(s.status)}</td></tr>`,
       )
       .join('')}</tbody></table>
     <p><a href="/v1/scenarios/${encodeURIComponent(name)}/submissions?format=csv" id="csv">Download CSV</a></p>
     <h2>Versions</h2><ul>${(versions.status === 200 ? (versions.body.items ?? []) : []).map((v) => `<li><code>${h(v.version)}</code> ${h(v.created_at ?? '')}${v.current ? ' (current)' : ''}</li>`).join('')}</ul>
     <h2>LMS grade sync</h2>${
       syncRows.length
         ? `<table><thead><tr><th scope="col">Student</th><th scope="col">State</th><th scope="col">Score</th><th scope="col">Why</th></tr></thead><tbody>${syncRows
             .map(
               (r) =>
                 `<tr><td>${h(r.student)}</td><td>${h(r.state)}</td><td>${h(r.scoreGiven ?? '')}</td><td>${h(r.message ?? '')}</td></tr>`,
             )
             .join('')}</tbody></table><button id="resync">Resync all</button>`
         : '<p class="muted">No student of this lab came from an LMS launch.</p>'
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
