// The audit-review page: reads the JSON API of the server that served it and writes what it
// reads with textContent only (records are data, never markup). The view is in the address
// (?decision=ID, ?diff=A&with=B, ?view=rulesets, ?view=replay&from&to, ?replay_day=DATE, ?ruleset=NAME@VERSION&against=VERSION,
// or the list with its filters), so every view has a link and works with the keyboard and Back.
'use strict';

const params = new URLSearchParams(window.location.search);
const app = document.getElementById('app');

// el('td', {class: 'on'}, 'text', childNode, ...): a DOM node; strings become text nodes.
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

function link(href, text) { return el('a', {href}, text); }
function short(hash) { return (hash || '').slice(0, 12); }
function actionBadge(action) { return el('span', {class: 'action action-' + action}, action); }
function truth(value) {
  if (value === true) return el('span', {class: 'on'}, 'RISK-OFF');
  if (value === false) return el('span', {class: 'off'}, 'clear');
  return el('span', {class: 'unknown'}, 'unknown');
}

class ApiError extends Error {
  constructor(status, body) {
    const messages = body && body.error ? body.error.messages : ['the server answered ' + status];
    super(messages.join('; '));
    this.status = status;
  }
}

// A call to this server's API, with the read token when one was given on this page.
async function api(path, method) {
  const headers = {};
  const token = window.sessionStorage.getItem('riskoff-token');
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(path, {method: method || 'GET', headers});
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function tokenForm() {
  const input = el('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true});
  const form = el('form', {class: 'inline'}, el('label', {for: 'token'}, 'Read token (kept for this tab only)', input),
                  el('button', {type: 'submit'}, 'Use token'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.sessionStorage.setItem('riskoff-token', input.value);
    window.location.reload();
  });
  return form;
}

function show(...nodes) {
  app.replaceChildren(...nodes);
}

function fail(error) {
  const nodes = [el('h1', {}, 'Could not load this view'), el('p', {class: 'error', id: 'error'}, error.message)];
  if (error.status === 401 || error.status === 403) nodes.push(tokenForm());
  show(...nodes);
  document.body.dataset.state = 'error';
}

// --- chain status -----------------------------------------------------------------------------

async function chainStatus() {
  try {
    const report = (await api('/v1/audit/verify', 'POST')).verify;
    if (report.ok) {
      return el('p', {class: 'chain', id: 'chain'}, 'Hash chain verified: ' + report.records + ' records, up to #' +
                report.head_id + ' (' + short(report.head_hash) + ').');
    }
    return el('div', {class: 'chain broken', id: 'chain'},
              el('p', {}, 'Hash chain broken at record #' + report.first_bad + ' (' + report.records + ' records).'),
              el('ul', {}, report.problems.map((problem) => el('li', {}, problem))));
  } catch (error) {
    return el('p', {class: 'chain broken', id: 'chain'}, 'Chain not checked: ' + error.message);
  }
}

// --- the list -----------------------------------------------------------------------------------

const kFilters = ['from', 'to', 'profile', 'action', 'ruleset'];

function filterForm() {
  const field = (name, label, control) => el('label', {for: 'f-' + name}, label, control);
  const select = (name, options) => el('select', {id: 'f-' + name, name},
      options.map((value) => el('option', {value, selected: params.get(name) === value}, value || 'any')));
  const input = (name, type, placeholder) => el('input', {id: 'f-' + name, name, type, placeholder,
                                                          value: params.get(name) || ''});
  return el('form', {class: 'filters', method: 'get', action: '/', 'aria-label': 'Filter decisions'},
            field('from', 'As of, from', input('from', 'date')), field('to', 'to', input('to', 'date')),
            field('profile', 'Profile', select('profile', ['', 'short_term', 'swing', 'long_term'])),
            field('action', 'Action', select('action', ['', 'hedge', 'reduce', 'wait'])),
            field('ruleset', 'Ruleset (NAME, NAME@VERSION or hash prefix)', input('ruleset', 'text', 'riskoff@0.1.0')),
            el('button', {type: 'submit'}, 'Filter'), link('/', 'Clear'));
}

async function listView() {
  const query = new URLSearchParams();
  for (const name of kFilters) if (params.get(name)) query.set(name, params.get(name));
  const [listing, chain] = await Promise.all([api('/v1/decisions?' + query.toString()), chainStatus()]);
  const rows = listing.decisions.map((entry) => el('tr', {id: 'decision-' + entry.id, class: entry.tampered ? 'tampered' : null},
      el('td', {}, link('/?decision=' + entry.id, '#' + entry.id)), el('td', {}, entry.as_of), el('td', {}, entry.profile),
      el('td', {}, actionBadge(entry.action)),
      el('td', {}, entry.decided_under.name + '@' + entry.decided_under.version + ' ' + short(entry.decided_under.sha256)),
      el('td', {}, entry.recorded_at), el('td', {}, entry.tampered ? 'TAMPERED: ' + entry.problem : 'ok')));
  const table = el('table', {id: 'decisions'}, el('caption', {}, listing.decisions.length + ' decisions, oldest first'),
      el('thead', {}, el('tr', {}, ['id', 'as of', 'profile', 'action', 'ruleset', 'recorded', 'check']
                                    .map((name) => el('th', {scope: 'col'}, name)))),
      el('tbody', {}, rows));
  show(el('h1', {}, 'Recorded decisions'), chain, filterForm(), table);
}

// --- one decision -------------------------------------------------------------------------------

function becauseTree(nodes) {
  if (!nodes || nodes.length === 0) return null;
  return el('ul', {class: 'because'}, nodes.map((node) => {
    const mark = node.truth === true ? '[x]' : node.truth === false ? '[ ]' : '[?]';
    const words = node.text && node.kind === 'comparison' ? node.text
                : (node.title ? node.subject + ': ' + node.title : node.subject || node.text || node.kind);
    return el('li', {'data-mark': mark}, words, becauseTree(node.because));
  }));
}

function table(id, caption, columns, rows) {
  return el('table', {id}, el('caption', {}, caption),
            el('thead', {}, el('tr', {}, columns.map((name) => el('th', {scope: 'col'}, name)))), el('tbody', {}, rows));
}

function explanationView(record, explanation) {
  const nodes = [];
  nodes.push(el('p', {class: 'headline', id: 'headline'}, actionBadge(explanation.action), ' · profile ' + explanation.profile +
                ' · as of ' + explanation.as_of));
  if (explanation.regime) nodes.push(el('p', {}, 'Regime: ' + explanation.regime));
  if (explanation.advice) nodes.push(el('p', {}, 'Advice: ' + explanation.advice));
  nodes.push(el('p', {id: 'ruleset'}, 'Ruleset ' + record.decided_under.name + ' ' + record.decided_under.version +
                ' (sha256 ' + short(record.decided_under.sha256) + ')' +
                (record.overrides.length ? ' · overrides ' + record.overrides.join(', ') : '')));
  const because = explanation.because || {};
  nodes.push(el('h2', {}, 'Because'), el('section', {id: 'because'},
                el('p', {}, because.action + ' when ' + because.condition), becauseTree(because.because)));
  if ((explanation.why_not || []).length) {
    nodes.push(el('h2', {}, 'Why not'), el('section', {id: 'why-not'}, explanation.why_not.map((clause) =>
        el('div', {}, el('p', {}, clause.action + ' when ' + clause.condition), becauseTree(clause.because)))));
  }
  nodes.push(el('h2', {}, 'Would change it'), table('flipping', 'closest to flipping', ['subject', 'now', 'gap', 'changes to'],
      (explanation.closest_to_flipping || []).map((item) => el('tr', {}, el('td', {}, item.subject), el('td', {}, item.text),
          el('td', {}, item.gap || ''), el('td', {}, item.changes_to || '')))));
  const checklist = explanation.checklist || [];
  nodes.push(el('h2', {}, 'Checklist'), table('checklist', checklist.filter((c) => c.on === true).length + ' of ' +
      checklist.length + ' risk-off', ['step', 'check', 'status', 'why'],
      checklist.map((check) => el('tr', {'data-name': check.name}, el('td', {}, String(check.step)), el('td', {}, check.title),
          el('td', {}, truth(check.on)), el('td', {}, (check.why || []).join('; ') || check.because)))));
  const drivers = explanation.drivers || [];
  nodes.push(el('h2', {}, 'Drivers'), table('drivers', drivers.filter((d) => d.on === true).length + ' of ' + drivers.length + ' on',
      ['driver', 'status', 'because', 'equities', 'crypto', 'watch'],
      drivers.map((driver) => el('tr', {'data-name': driver.name}, el('td', {}, driver.title), el('td', {}, truth(driver.on)),
          el('td', {}, (driver.why || []).join('; ') || driver.because), el('td', {}, driver.equities || ''),
          el('td', {}, driver.crypto || ''), el('td', {}, driver.watch || '')))));
  const inputs = (explanation.inputs || []).filter((input) => input.status !== 'ok');
  nodes.push(el('h2', {}, 'Unknown and stale inputs'), inputs.length === 0 ? el('p', {}, 'none: every input was fresh')
      : table('inputs', inputs.length + ' inputs', ['input', 'status', 'source', 'last'], inputs.map((input) =>
          el('tr', {}, el('td', {}, input.name), el('td', {class: 'unknown'}, input.status), el('td', {}, input.source || ''),
             el('td', {}, (input.last_value || '') + ' ' + (input.last_time || ''))))));
  nodes.push(el('details', {}, el('summary', {}, 'As the command line prints it'), el('pre', {id: 'text'}, record.text)));
  return nodes;
}

async function decisionView(id) {
  const [reply, chain] = await Promise.all([api('/v1/decisions/' + encodeURIComponent(id)), chainStatus()]);
  const record = reply.decision;
  const sameProfile = await api('/v1/decisions?profile=' + encodeURIComponent(record.profile));
  const earlier = sameProfile.decisions.filter((entry) => entry.id < record.id && !entry.tampered);
  const previous = earlier.length ? earlier[earlier.length - 1] : null;
  const compare = el('form', {class: 'inline', method: 'get', action: '/'}, el('input', {type: 'hidden', name: 'diff', value: record.id}),
      el('label', {for: 'with'}, 'Compare with decision', el('input', {id: 'with', name: 'with', type: 'number', min: 1, required: true})),
      el('button', {type: 'submit'}, 'Compare'));
  show(el('h1', {}, 'Decision #' + record.id), chain,
       el('p', {}, 'Recorded ' + record.recorded_at + ' · record hash ' + short(record.record_hash) + ' · riskoff ' + record.engine_version),
       previous ? el('p', {}, link('/?diff=' + previous.id + '&with=' + record.id, 'What changed since #' + previous.id +
                                   ' (the previous ' + record.profile + ' decision)'))
                : el('p', {}, 'The first ' + record.profile + ' decision in this store.'),
       compare, ...explanationView(record, record.explanation));
}

// --- two decisions ------------------------------------------------------------------------------

function side(entry) {
  return el('div', {}, el('h2', {}, link('/?decision=' + entry.id, 'Decision #' + entry.id)),
            el('p', {}, actionBadge(entry.action), ' · ' + entry.profile + ' · as of ' + entry.as_of),
            el('p', {}, entry.decided_under.name + '@' + entry.decided_under.version + ' ' + short(entry.decided_under.sha256)));
}

// A side an input or condition is missing from is null in the diff.
function either(value) { return value === null ? 'absent' : value; }

async function diffView(first, second) {
  const diff = (await api('/v1/decisions/' + encodeURIComponent(first) + '/diff/' + encodeURIComponent(second))).diff;
  const changed = diff.conditions.map((change) => el('tr', {class: 'changed'}, el('td', {}, change.kind), el('td', {}, change.name),
                                                     el('td', {}, either(change.before)), el('td', {}, either(change.after))));
  const inputs = diff.inputs.map((change) => el('tr', {}, el('td', {}, change.input), el('td', {}, either(change.before)),
                                                el('td', {}, either(change.after))));
  const actionLine = diff.action.changed ? 'The action changed from ' + diff.action.before + ' to ' + diff.action.after + '.'
      : 'The action stayed ' + diff.action.before + '.';
  const lines = diff.text.split('\n');
  show(el('h1', {}, 'Decision #' + diff.first.id + ' → #' + diff.second.id),
       el('div', {class: 'sides'}, side(diff.first), side(diff.second)),
       el('p', {id: 'action-change', class: 'headline'}, actionLine),
       el('h2', {}, 'Changed conditions'),
       changed.length ? table('changed', changed.length + ' signals, groups, drivers and checks changed (' +
                              diff.conditions_unchanged + ' unchanged)', ['kind', 'name', 'before', 'after'], changed)
                      : el('p', {id: 'changed'}, 'No condition changed.'),
       el('h2', {}, 'Changed inputs'),
       inputs.length ? table('changed-inputs', inputs.length + ' inputs changed (' + diff.inputs_unchanged + ' unchanged)',
                             ['input', 'before', 'after'], inputs)
                     : el('p', {id: 'changed-inputs'}, 'No input changed.'),
       el('h2', {}, 'The whole diff'),
       el('pre', {id: 'diff-text'}, lines.map((line) => el('span', {class: /^\s+\+/.test(line) ? 'sign-plus'
           : /^\s+-/.test(line) ? 'sign-minus' : null}, line + '\n'))));
}

// --- replay -------------------------------------------------------------------------------------

const kReplayFields = ['sources', 'ruleset', 'profile', 'from', 'to'];

function replayForm() {
  const input = (name, label, type, placeholder) => el('label', {for: 'r-' + name}, label,
      el('input', {id: 'r-' + name, name, type, placeholder, value: params.get(name) || '', required: name === 'from' || name === 'to'}));
  return el('form', {class: 'filters', method: 'get', action: '/', 'aria-label': 'Replay a period'},
            el('input', {type: 'hidden', name: 'view', value: 'replay'}),
            input('from', 'From', 'date'), input('to', 'To', 'date'),
            el('label', {for: 'r-profile'}, 'Profile', el('select', {id: 'r-profile', name: 'profile'},
                ['', 'short_term', 'swing', 'long_term'].map((value) =>
                    el('option', {value, selected: params.get('profile') === value}, value || 'the first')))),
            input('ruleset', 'Published ruleset (NAME@VERSION)', 'text', 'the served one'),
            input('sources', 'Sources manifest', 'text', "the server's only one"),
            el('button', {type: 'submit'}, 'Replay'));
}

function percent(fraction) { return (fraction * 100).toFixed(1) + '%'; }

// The chart is the SVG `riskoff replay --chart` draws, shown as an image: an <img> never runs
// what an SVG contains, and the page's own DOM never holds its markup.
function chart(svg, report) {
  const url = URL.createObjectURL(new Blob([svg], {type: 'image/svg+xml'}));
  return el('img', {id: 'replay-chart', src: url, class: 'chart',
                    alt: 'The reference price with ' + report.profile + ' actions as bands, from ' + report.from + ' to ' + report.to});
}

// The grouped changes as `riskoff replay` prints them: the text from "Changes:" to the next
// section heading.
function groupedChanges(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Changes:'));
  if (start < 0) return '';
  let end = start + 1;
  while (end < lines.length && (lines[end] === '' || /^\s/.test(lines[end]))) ++end;
  return lines.slice(start, end).join('\n');
}

// The address of one day of a replay: the period and choices it came from ride along, so the
// day's view can link back to it.
function replayDayHref(date, profile) {
  const query = new URLSearchParams({replay_day: date, profile});
  for (const name of ['sources', 'ruleset', 'from', 'to']) if (params.get(name)) query.set(name, params.get(name));
  return '/?' + query.toString();
}

// The decision band: one cell per step in its action's colour. One tab stop for the whole band
// (roving tabindex): the arrow keys, Home and End move between days, Enter or a click opens the
// day's explanation.
function dayBand(report) {
  const days = report.steps.map((step, idx) => {
    const date = step.time.slice(0, 10);
    const label = date + ': ' + (step.action || 'no decision');
    if (!step.action) return el('span', {class: 'day day-none', title: label});
    return el('a', {href: replayDayHref(date, report.profile), class: 'day day-' + step.action, 'data-date': date,
                    title: label, 'aria-label': label, tabindex: idx === 0 ? '0' : '-1'});
  });
  const band = el('div', {id: 'replay-days', class: 'band', role: 'group', 'aria-describedby': 'replay-days-help',
                          'aria-label': 'Decisions by day, ' + report.from.slice(0, 10) + ' to ' + report.to.slice(0, 10)}, days);
  const links = days.filter((day) => day.tagName === 'A');
  if (links.length) links[0].tabIndex = 0;
  band.addEventListener('keydown', (event) => {
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    const to = {ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: links.length - 1}[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = links[Math.max(0, Math.min(links.length - 1, to))];
    links[at].tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  return band;
}

// One day of a replay: the decision of that step, explained as a recorded one is.
async function replayDayView(date) {
  const query = new URLSearchParams();
  for (const name of ['profile', 'sources', 'ruleset']) if (params.get(name)) query.set(name, params.get(name));
  const day = (await api('/v1/replay/' + encodeURIComponent(date) + '?' + query.toString())).replay_day;
  const back = new URLSearchParams({view: 'replay'});
  for (const name of ['from', 'to', 'profile', 'ruleset', 'sources']) if (params.get(name)) back.set(name, params.get(name));
  const record = {decided_under: day.decided_under, overrides: [], text: day.text};
  show(el('h1', {}, 'Replay: ' + day.date),
       el('p', {id: 'replay-day'}, 'The ' + day.profile + ' decision of ' + day.date + ', made at ' + day.decided_at +
          ' on what was known then (sources ' + day.sources + '), as the replay\'s step decided it.'),
       el('p', {}, link('/?' + back.toString(), params.get('from') ? 'Back to the replay of ' + params.get('from') + ' to ' +
                                                   (params.get('to') || '') : 'Replay a period')),
       ...explanationView(record, day.decision));
}

async function replayView() {
  const nodes = [el('h1', {}, 'Replay'), replayForm()];
  if (!params.get('from') || !params.get('to')) {
    nodes.push(el('p', {}, 'Pick a period: every trading day in it is decided as it was known then, with the overlay and ' +
                           'the deep drawdowns of the reference, as riskoff replay does.'));
    return show(...nodes);
  }
  const query = new URLSearchParams();
  for (const name of kReplayFields) if (params.get(name)) query.set(name, params.get(name));
  const replay = (await api('/v1/replay?' + query.toString())).replay;
  const report = replay.report;
  const summary = report.summary;
  nodes.push(el('p', {class: 'headline', id: 'replay-headline'}, report.ruleset.name + ' ' + report.ruleset.version + ' · profile ' +
                report.profile + ' · ' + report.from.slice(0, 10) + ' → ' + report.to.slice(0, 10) + ' · ' + summary.steps +
                ' steps (' + report.every + ') · ' + summary.changes + ' changes'));
  const image = chart(replay.svg, report);
  nodes.push(image, el('p', {id: 'replay-days-help'}, 'Each day of the band below is that day\'s decision: click one (or move ' +
                        'with the arrow keys and press Enter) to open its explanation.'), dayBand(report));
  const metric = (name, key, format) => el('tr', {}, el('th', {scope: 'row'}, name), el('td', {}, format(summary.overlay[key])),
                                           el('td', {}, format(summary.buy_and_hold[key])));
  nodes.push(el('h2', {}, 'Summary'),
      table('replay-actions', 'steps on each action', ['action', 'steps'], Object.entries(summary.steps_per_action).map(([action, steps]) =>
          el('tr', {}, el('td', {}, actionBadge(action)), el('td', {}, String(steps))))),
      table('replay-overlay', report.overlay.assumptions, ['figure', 'overlay', 'buy and hold'],
            [metric('total return', 'total_return', percent), metric('annual return', 'annual_return', percent),
             metric('volatility', 'volatility', percent), metric('max drawdown', 'max_drawdown', percent),
             metric('time under water', 'under_water', percent)]));
  nodes.push(el('h2', {}, 'Episodes'), report.episodes.length === 0 ? el('p', {id: 'replay-episodes'}, 'No drawdown of the reference was deep enough.')
      : table('replay-episodes', report.episodes.length + (report.episodes.length === 1 ? ' drawdown' : ' drawdowns') + ' of the reference', ['peak', 'trough', 'depth', 'overlay',
              'avoided', 'left WAIT', 'first action', 'recovered'], report.episodes.map((episode) => el('tr', {},
          el('td', {}, episode.peak.slice(0, 10)), el('td', {}, episode.trough.slice(0, 10)), el('td', {}, percent(episode.depth)),
          el('td', {}, percent(episode.overlay_depth)), el('td', {}, percent(episode.avoided)),
          el('td', {}, episode.left_wait ? episode.left_wait.slice(0, 10) : 'never'), el('td', {}, actionBadge(episode.first_action)),
          el('td', {}, episode.recovered ? episode.recovered.slice(0, 10) : 'not yet')))));
  nodes.push(el('h2', {}, 'Changes, grouped by transition and reason'), el('pre', {id: 'replay-changes'}, groupedChanges(replay.text)),
             el('details', {}, el('summary', {}, 'The whole report, as the command line prints it'), el('pre', {id: 'replay-text'}, replay.text)));
  show(...nodes);
  // The view is ready once the chart is drawn (or known not to draw).
  try {
    await image.decode();
  } catch (error) {
    image.replaceWith(el('p', {class: 'error', id: 'replay-chart'}, 'The chart could not be shown.'));
  }
}

// --- rulesets -----------------------------------------------------------------------------------

async function rulesetsView() {
  const listing = await api('/v1/rulesets');
  show(el('h1', {}, 'Published rulesets'), table('rulesets', listing.rulesets.length + ' versions', ['ruleset', 'sha256', 'published'],
      listing.rulesets.map((entry) => el('tr', {}, el('td', {}, link('/?ruleset=' + encodeURIComponent(entry.name + '@' + entry.version),
          entry.name + '@' + entry.version)), el('td', {}, short(entry.sha256)), el('td', {}, entry.published_at)))));
}

// Rule text with keywords, comments and numbers marked (a light touch, not a parser).
function highlight(text) {
  const pieces = [];
  const pattern = /(#[^\n]*)|\b(ruleset|version|input|param|let|signal|group|driver|check|regime|profile|decide|when|then|else|and|or|not|any|all|count|import|from|as|unit|title|because)\b|(\b\d+(?:\.\d+)?(?:%|bp)?)/g;
  let at = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    pieces.push(text.slice(at, match.index));
    const kind = match[1] ? 'comment' : match[2] ? 'kw' : 'num';
    pieces.push(el('span', {class: kind}, match[0]));
    at = match.index + match[0].length;
  }
  pieces.push(text.slice(at));
  return pieces;
}

async function rulesetView(reference, against) {
  const [name, version] = reference.split('@');
  const published = (await api('/v1/rulesets/' + encodeURIComponent(name) + '/' + encodeURIComponent(version))).published;
  const all = (await api('/v1/rulesets')).rulesets.filter((entry) => entry.name === name && entry.version !== version);
  const nodes = [el('h1', {}, name + '@' + version), el('p', {}, 'sha256 ' + published.sha256 + ' · published ' + published.published_at)];
  if (all.length) {
    nodes.push(el('form', {class: 'inline', method: 'get', action: '/'}, el('input', {type: 'hidden', name: 'ruleset', value: reference}),
        el('label', {for: 'against'}, 'Changes to version', el('select', {id: 'against', name: 'against'},
            all.map((entry) => el('option', {value: entry.version, selected: entry.version === against}, entry.version)))),
        el('button', {type: 'submit'}, 'Show the semantic diff')));
  }
  if (against) {
    const diff = (await api('/v1/rulesets/' + encodeURIComponent(name) + '/' + encodeURIComponent(version) + '/diff/' +
                            encodeURIComponent(against))).ruleset_diff;
    nodes.push(el('h2', {}, 'From ' + version + ' to ' + diff.new.version + ': ' + diff.implied + ' bump implied'),
        table('ruleset-changes', diff.changes.length + ' changes' + (diff.declared_too_small ? ' (the declared version bump is too small)' : ''),
              ['section', 'change', 'bump'], diff.changes.map((change) => el('tr', {class: 'changed'}, el('td', {}, change.section),
                  el('td', {}, change.sign + ' ' + change.text), el('td', {}, change.bump)))));
  }
  for (const file of published.files) nodes.push(el('h2', {}, file.path), el('pre', {class: 'rules'}, highlight(file.text)));
  show(...nodes);
}

async function main() {
  try {
    if (params.get('decision')) await decisionView(params.get('decision'));
    else if (params.get('diff') && params.get('with')) await diffView(params.get('diff'), params.get('with'));
    else if (params.get('ruleset')) await rulesetView(params.get('ruleset'), params.get('against'));
    else if (params.get('view') === 'rulesets') await rulesetsView();
    else if (params.get('view') === 'replay') await replayView();
    else if (params.get('replay_day')) await replayDayView(params.get('replay_day'));
    else await listView();
    document.body.dataset.state = 'ready';
  } catch (error) {
    fail(error);
  }
}

main();
