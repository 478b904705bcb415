// brikg web page: bundled queries, free SPARQL and resource pages over the brikg serve API.
// Plain JavaScript, no dependencies. Every URL is relative, so the page works under any path
// prefix. Text from the server only ever goes into text nodes and attribute values.
'use strict';
(() => {
  const NS = {
    rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
    rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
    xsd: 'http://www.w3.org/2001/XMLSchema#',
    owl: 'http://www.w3.org/2002/07/owl#',
    skos: 'http://www.w3.org/2004/02/skos/core#',
    dcterms: 'http://purl.org/dc/terms/',
    schema: 'http://schema.org/',
    prov: 'http://www.w3.org/ns/prov#',
    brikg: 'https://w3id.org/brikg/ontology#',
    void: 'http://rdfs.org/ns/void#',
    dcat: 'http://www.w3.org/ns/dcat#',
    foaf: 'http://xmlns.com/foaf/0.1/',
    sh: 'http://www.w3.org/ns/shacl#',
    wd: 'http://www.wikidata.org/entity/',
  };
  const RDF = NS.rdf, SK = NS.skos, DC = NS.dcterms, S = NS.schema, B = NS.brikg, P = NS.prov;
  const LABEL_PROPS = [SK + 'prefLabel', S + 'name', DC + 'title', NS.rdfs + 'label'];
  const RESULTS_JSON = 'application/sparql-results+json';
  const FORM = 'application/x-www-form-urlencoded';
  const MAX_ROWS = 5000; // rows drawn in the table; the downloads have them all
  const MAX_IN = 200; // incoming links shown on a resource page
  const MAX_OUT = 2000; // property values shown on a resource page
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];
  const DEFAULT_QUERY = `PREFIX brikg: <https://w3id.org/brikg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>

# The data is in named graphs (one per article, plus the ontology and the
# reference data): match it inside GRAPH ?g { ... }.
SELECT ?g (COUNT(*) AS ?triples)
WHERE { GRAPH ?g { ?s ?p ?o } }
GROUP BY ?g
ORDER BY ?g
`;

  const main = document.getElementById('main');
  const statusEl = document.getElementById('status');
  const enc = encodeURIComponent;
  let ctrl = new AbortController(); // aborted when the view changes or a new run starts
  let moveFocus = false;

  // ---- DOM helpers ---------------------------------------------------------------------------
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const k in attrs || {}) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    add(el, kids);
    return el;
  }
  function add(el, kids) {
    for (const k of kids) {
      if (k == null || k === false) continue;
      if (Array.isArray(k)) add(el, k); else el.append(k);
    }
  }
  function status(msg, error) {
    statusEl.textContent = msg || '';
    statusEl.classList.toggle('error', !!error);
  }
  function page(title, ...kids) {
    document.title = title + ' · brikg';
    const h1 = h('h1', { tabindex: '-1' }, title);
    main.replaceChildren(h1, ...kids.flat());
    if (moveFocus) h1.focus();
    return h1;
  }
  const plural = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

  // ---- HTTP ----------------------------------------------------------------------------------
  class ServerError extends Error {}
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  async function request(url, opts = {}) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(url, { signal: ctrl.signal, ...opts });
      if (res.ok) return res;
      if (res.status === 503 && attempt < 2) { await sleep(500 * (attempt + 1)); continue; }
      const type = res.headers.get('Content-Type') || '';
      let msg = /html/.test(type) ? '' : (await res.text()).trim().split('\n')[0];
      if (!msg) msg = res.statusText || 'request failed';
      const what = res.status === 504 ? 'Timed out' : res.status === 503 ? 'Server busy' : 'Error';
      throw new ServerError(`${what} (${res.status}): ${msg}`);
    }
  }
  async function sparql(query) {
    const res = await request('sparql', {
      method: 'POST',
      headers: { 'Content-Type': FORM, Accept: RESULTS_JSON },
      body: 'query=' + enc(query),
    });
    return res.json();
  }
  let queriesPromise = null;
  function getQueries() {
    if (!queriesPromise) {
      queriesPromise = fetch('api/queries', { headers: { Accept: 'application/json' } })
        .then(async (res) => {
          if (!res.ok) throw new ServerError(`Error (${res.status}): ${(await res.text()).trim() || res.statusText}`);
          return (await res.json()).queries || [];
        });
      queriesPromise.catch(() => { queriesPromise = null; });
    }
    return queriesPromise;
  }

  // ---- IRIs, labels and terms ----------------------------------------------------------------
  const okIri = (s) => typeof s === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]*$/.test(s);
  const labels = new Map();

  function short(iri) {
    for (const p in NS) if (iri.startsWith(NS[p]) && iri.length > NS[p].length) return p + ':' + iri.slice(NS[p].length);
    const parts = iri.split(/[/#]/).filter(Boolean);
    let last = parts.pop() || iri;
    if ((/^\d+$/.test(last) || last.length < 3) && parts.length > 1) last = parts.pop() + '/' + last;
    try { return decodeURIComponent(last); } catch (e) { return last; }
  }
  const label = (iri) => labels.get(iri) || short(iri);
  // A property without a label reads as words: schema:observationAbout -> "observation about".
  const propName = (iri) => labels.get(iri) ||
    short(iri).replace(/^\w+:/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const langRank = (l) => (!l ? 2 : l === 'en' ? 0 : /^en-/i.test(l) ? 1 : 3);

  // Looks up the labels of the IRIs not seen yet, in batches, one request at a time.
  async function fetchLabels(iris) {
    const todo = [...new Set(iris)].filter((i) => !labels.has(i) && okIri(i));
    for (let i = 0; i < todo.length; i += 250) {
      const chunk = todo.slice(i, i + 250);
      const best = new Map();
      let json;
      try {
        json = await sparql(`SELECT ?s ?p ?label WHERE {
  VALUES ?s { ${chunk.map((x) => `<${x}>`).join(' ')} }
  VALUES ?p { ${LABEL_PROPS.map((x) => `<${x}>`).join(' ')} }
  GRAPH ?g { ?s ?p ?label }
}`);
      } catch (e) {
        if (e.name === 'AbortError') throw e;
        return; // labels are a nicety: fall back to shortened IRIs
      }
      for (const b of json.results.bindings) {
        if (b.label.type !== 'literal') continue;
        const rank = LABEL_PROPS.indexOf(b.p.value) * 4 + langRank(b.label['xml:lang']);
        const cur = best.get(b.s.value);
        if (!cur || rank < cur.rank) best.set(b.s.value, { rank, text: b.label.value });
      }
      for (const x of chunk) labels.set(x, best.has(x) ? best.get(x).text : '');
    }
  }

  const resHref = (iri) => '#/resource?iri=' + enc(iri);
  const iriLink = (iri, text) => h('a', { href: resHref(iri), title: iri }, text || label(iri));
  const NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsigned\w+)$/;
  const cellClass = (t) => !t || t.type === 'uri' || !t.datatype ? null
    : NUMERIC.test(t.datatype) ? 'num' : /#(date|dateTime|gYear|gYearMonth)$/.test(t.datatype) ? 'date' : null;

  function termNode(t) {
    if (!t) return '';
    if (t.type === 'uri') return iriLink(t.value);
    if (t.type === 'bnode') return '_:' + t.value;
    return t.value;
  }
  function termWithLang(t) {
    const l = t['xml:lang'];
    return l ? [termNode(t), h('span', { class: 'lang', title: 'language' }, l)] : termNode(t);
  }

  // ---- formatting of figures -----------------------------------------------------------------
  function group(v) {
    const m = /^([+-]?)(\d+)(\.\d+)?$/.exec(v);
    return m ? m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '') : v;
  }
  function fmtDate(v, prec) {
    const m = /^(-?\d{4})(?:-(\d\d))?(?:-(\d\d))?/.exec(v || '');
    if (!m) return v;
    const p = prec ? prec.replace(/.*[#/]/, '') : m[3] ? 'day' : m[2] ? 'month' : 'year';
    const month = m[2] && MONTHS[+m[2] - 1];
    if (/^year/i.test(p) || !month) return m[1];
    if (/^month/i.test(p) || !m[3]) return `${month} ${m[1]}`;
    return `${+m[3]} ${month} ${m[1]}`;
  }
  function fmtPeriod(v) {
    const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(v || '');
    if (!m || v === 'P') return v;
    const names = ['year', 'month', 'week', 'day'];
    return names.map((n, i) => m[i + 1] && `${+m[i + 1]} ${n}${+m[i + 1] === 1 ? '' : 's'}`).filter(Boolean).join(' ');
  }
  function currencyName(code) {
    try { return new Intl.DisplayNames(['en'], { type: 'currency' }).of(code); } catch (e) { return code; }
  }

  // ---- results -------------------------------------------------------------------------------
  // Runs a query (doFetch returns the Response) and draws its result into box.
  async function run(box, doFetch, download, fileBase) {
    ctrl.abort();
    ctrl = new AbortController();
    const signal = ctrl.signal;
    status('Running…');
    box.setAttribute('aria-busy', 'true');
    try {
      const res = await doFetch();
      const type = (res.headers.get('Content-Type') || '').split(';')[0].trim();
      if (!/json/.test(type)) {
        const text = await res.text();
        box.replaceChildren(h('p', { class: 'count' }, `Result (${type || 'text'}):`), h('pre', { class: 'rdf' }, text));
        status(`Result received (${type || 'text'})`);
        return;
      }
      const json = await res.json();
      if (typeof json.boolean === 'boolean') {
        box.replaceChildren(h('p', { class: 'answer', id: 'answer' }, 'Answer: ', h('strong', {}, String(json.boolean))));
        status('Answer: ' + json.boolean);
        return;
      }
      const vars = (json.head && json.head.vars) || [];
      const rows = (json.results && json.results.bindings) || [];
      const shown = rows.slice(0, MAX_ROWS);
      const iris = [];
      for (const r of shown) for (const v in r) if (r[v].type === 'uri') iris.push(r[v].value);
      await fetchLabels(iris);
      if (signal.aborted) return;
      const count = plural(rows.length, 'row', 'rows');
      const table = h('table', { id: 'results' },
        h('thead', {}, h('tr', {}, vars.map((v) => h('th', { scope: 'col' }, v)))),
        h('tbody', {}, shown.map((r) => h('tr', {}, vars.map((v) => h('td', { class: cellClass(r[v]) }, termNode(r[v])))))));
      box.replaceChildren(
        h('div', { class: 'result-bar' },
          h('p', { class: 'count', id: 'count' }, count,
            rows.length > MAX_ROWS ? `, showing the first ${MAX_ROWS.toLocaleString('en')}` : ''),
          download && h('p', { class: 'downloads' }, 'Download: ',
            h('a', { href: download('csv'), download: fileBase + '.csv' }, 'CSV'), ' · ',
            h('a', { href: download('json'), download: fileBase + '.json' }, 'JSON'))),
        h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'count' }, table));
      status(count);
    } catch (e) {
      if (e.name === 'AbortError') return;
      box.replaceChildren(h('p', { class: 'error-box' }, e.message));
      status(e.message, true);
    } finally {
      if (!signal.aborted) box.removeAttribute('aria-busy');
    }
  }

  function fail(e) {
    if (e.name === 'AbortError') return;
    const msg = e instanceof ServerError ? e.message : 'Error: ' + e.message;
    main.append(h('p', { class: 'error-box' }, msg));
    status(msg, true);
  }

  // ---- views ---------------------------------------------------------------------------------
  async function viewHome() {
    page('Questions the graph answers',
      h('p', { class: 'lead' }, 'Facts reported by news articles about the Belt and Road Initiative, each one traced to the paragraph that states it. Choose a question, or ask your own in ', h('a', { href: '#/sparql' }, 'SPARQL'), '.'));
    const queries = await getQueries();
    main.append(h('ul', { class: 'query-list', id: 'queries' }, queries.map((q) =>
      h('li', { 'data-query': q.name, onclick: (e) => { if (!e.target.closest('a')) location.hash = '#/query/' + enc(q.name); } },
        h('a', { href: '#/query/' + enc(q.name) },
          h('strong', {}, q.title || q.name),
          h('span', {}, q.description || ''),
          q.parameters && q.parameters.length ? h('small', {}, 'asks for: ' + q.parameters.map((p) => p.name).join(', ')) : null)))));
    if (!queries.length) main.append(h('p', {}, 'The server has no bundled queries.'));
  }

  async function viewQuery(name, params, autorun) {
    const back = h('p', { class: 'back' }, h('a', { href: '#/' }, '← All questions'));
    const queries = await getQueries();
    const q = queries.find((x) => x.name === name);
    if (!q) {
      page('Unknown question', back, h('p', { class: 'error-box' }, `No bundled query is named “${name}”.`));
      return;
    }
    const box = h('div', { class: 'results', id: 'result-box' });
    const inputs = (q.parameters || []).map((p) => {
      const id = 'p-' + p.name;
      return h('div', { class: 'field' },
        h('label', { for: id }, p.name),
        p.description && h('span', { class: 'hint', id: id + '-hint' }, p.description + (p.example && !p.description.includes(p.example) ? ` (for example ${p.example})` : '')),
        h('input', { id, name: p.name, type: 'text', placeholder: p.example || null, value: params.get(p.name) || '',
          autocomplete: 'off', 'aria-describedby': p.description ? id + '-hint' : null }));
    });
    const form = h('form', { class: 'query-form', 'data-query': q.name }, inputs, h('button', { id: 'run', type: 'submit' }, 'Run'));
    page(q.title || q.name, back,
      q.description && h('p', { class: 'lead' }, q.description),
      form,
      q.text && h('details', { class: 'sparql-text' }, h('summary', {}, 'The SPARQL behind this question'),
        h('pre', {}, q.text), h('p', {}, h('a', { href: '#/sparql?query=' + enc(q.text) }, 'Edit it in the SPARQL box'))),
      box);
    const go = () => {
      const vals = [];
      for (const input of form.querySelectorAll('input')) if (input.value.trim()) vals.push(enc(input.name) + '=' + enc(input.value.trim()));
      const qs = vals.join('&');
      history.replaceState(null, '', `#/query/${enc(q.name)}/run${qs ? '?' + qs : ''}`);
      const url = 'queries/' + enc(q.name) + (qs ? '?' + qs : '');
      run(box, () => request(url, { headers: { Accept: RESULTS_JSON } }),
        (f) => url + (qs ? '&' : '?') + 'format=' + f, q.name);
    };
    form.addEventListener('submit', (e) => { e.preventDefault(); go(); });
    if (autorun) go();
  }

  async function viewSparql(params) {
    const select = h('select', { id: 'examples' }, h('option', { value: '' }, 'Choose an example…'));
    const examples = h('div', { class: 'field examples', hidden: true }, h('label', { for: 'examples' }, 'Examples'), select);
    const ta = h('textarea', { id: 'query', name: 'query', rows: '16', spellcheck: 'false', autocapitalize: 'off',
      autocomplete: 'off', 'aria-describedby': 'query-hint' });
    ta.value = params.get('query') || DEFAULT_QUERY;
    const box = h('div', { class: 'results', id: 'result-box' });
    const form = h('form', { class: 'sparql-form' }, examples,
      h('div', { class: 'field' }, h('label', { for: 'query' }, 'Query'),
        h('span', { class: 'hint', id: 'query-hint' }, 'SPARQL 1.1. All data is in named graphs: use GRAPH ?g { … }. Ctrl+Enter runs the query.'), ta),
      h('button', { id: 'run', type: 'submit' }, 'Run'));
    page('SPARQL', form, box);
    const go = () => {
      const text = ta.value;
      history.replaceState(null, '', '#/sparql?query=' + enc(text));
      run(box, () => request('sparql', {
        method: 'POST',
        headers: { 'Content-Type': FORM, Accept: RESULTS_JSON + ', text/turtle;q=0.9, */*;q=0.1' },
        body: 'query=' + enc(text),
      }), (f) => 'sparql?query=' + enc(text) + '&format=' + f, 'query');
    };
    form.addEventListener('submit', (e) => { e.preventDefault(); go(); });
    ta.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });
    const texts = new Map();
    select.addEventListener('change', () => { if (texts.has(select.value)) ta.value = texts.get(select.value); });
    if (params.get('query')) go();
    try {
      const queries = await getQueries();
      for (const q of queries) {
        if (typeof q.text !== 'string' || !q.text) continue;
        texts.set(q.name, q.text);
        select.append(h('option', { value: q.name }, q.title || q.name));
      }
      examples.hidden = texts.size === 0;
    } catch (e) { /* no examples then */ }
  }

  // Groups rows of { p, term } by property; values deduplicated.
  function groupBy(rows) {
    const m = new Map();
    for (const { p, t } of rows) {
      if (!m.has(p)) m.set(p, new Map());
      m.get(p).set(t.type + ' ' + t.value + ' ' + (t['xml:lang'] || '') + ' ' + (t.datatype || ''), t);
    }
    return new Map([...m].map(([p, v]) => [p, [...v.values()]]));
  }
  function propList(groups, cls) {
    const order = [...groups.keys()].sort((a, b) =>
      (b === RDF + 'type') - (a === RDF + 'type') || propName(a).localeCompare(propName(b)));
    return h('dl', { class: cls }, order.map((p) => [
      h('dt', {}, iriLink(p, propName(p))),
      h('dd', {}, h('ul', {}, groups.get(p).map((t) => h('li', {}, termWithLang(t))))),
    ]));
  }
  function pick(groups, p) {
    const vs = groups.get(p);
    if (!vs || !vs.length) return null;
    return vs.slice().sort((a, b) => langRank(a['xml:lang']) - langRank(b['xml:lang']))[0];
  }
  const val = (groups, p) => { const t = pick(groups, p); return t ? t.value : null; };

  async function sources(paras) {
    if (!paras.length) return [];
    const json = await sparql(`PREFIX dcterms: <${DC}>
PREFIX brikg: <${B}>
SELECT ?para ?pn ?sec ?sn ?theme ?art ?title WHERE {
  VALUES ?para { ${paras.map((x) => `<${x}>`).join(' ')} }
  GRAPH ?g {
    ?para dcterms:isPartOf ?sec .
    OPTIONAL { ?para brikg:position ?pn }
    OPTIONAL { ?sec brikg:position ?sn }
    OPTIONAL { ?sec brikg:theme ?theme }
    OPTIONAL { ?sec dcterms:isPartOf ?art . OPTIONAL { ?art dcterms:title ?title } }
  }
}`);
    const by = new Map();
    for (const b of json.results.bindings) {
      const cur = by.get(b.para.value);
      const score = (b.title ? 2 - langRank(b.title['xml:lang']) / 2 : 0) + (b.theme ? 1 - langRank(b.theme['xml:lang']) / 4 : 0);
      if (!cur || score > cur.score) by.set(b.para.value, { score, b });
    }
    return paras.map((para) => {
      const e = by.get(para);
      if (!e) return h('p', { class: 'source' }, 'Source: ', iriLink(para));
      const b = e.b;
      const art = b.art ? iriLink(b.art.value, b.title ? b.title.value : label(b.art.value)) : 'an unknown article';
      return h('p', { class: 'source' }, 'Source: ', art,
        ', ', iriLink(b.sec.value, 'section ' + (b.sn ? b.sn.value : '?')),
        b.theme ? ` (${b.theme.value})` : '',
        ', ', iriLink(para, 'paragraph ' + (b.pn ? b.pn.value : '?')));
    });
  }

  function dateText(date, prec) {
    const f = fmtDate(date, prec);
    const extra = [f !== date && date, prec && 'precision: ' + label(prec)].filter(Boolean).join(', ');
    return extra ? `${f} (${extra})` : f;
  }
  function factRow(name, ...value) { return value.some((v) => v) ? [h('dt', {}, name), h('dd', {}, value)] : null; }

  function figureCard(g, srcs, unitNotation) {
    const v = pick(g, S + 'value');
    const cmp = val(g, B + 'comparator'), cur = val(g, S + 'currency'), unit = val(g, S + 'unitCode');
    const date = val(g, S + 'observationDate'), prec = val(g, B + 'datePrecision'), per = val(g, S + 'observationPeriod');
    const about = val(g, S + 'observationAbout'), measure = val(g, S + 'variableMeasured');
    const rn = val(g, B + 'reportedNumber'), rs = val(g, B + 'reportedScale');
    const unitShort = cur || (unit && (unitNotation || label(unit))) || '';
    return h('section', { class: 'figure card', 'aria-label': 'The figure' },
      h('p', { class: 'figure-value' },
        cmp && h('span', { class: 'bound' }, label(cmp) + ' '),
        h('span', { class: 'value' }, v ? group(v.value) : '(no value)'),
        unitShort && h('span', { class: 'unit' }, ' ' + unitShort)),
      h('dl', { class: 'facts' },
        factRow('Measure', measure && iriLink(measure)),
        factRow('About', about && iriLink(about)),
        factRow('Bound', cmp && iriLink(cmp)),
        factRow('Value', v && group(v.value)),
        factRow('Currency', cur && `${currencyName(cur)} (${cur})`),
        factRow('Unit', unit && iriLink(unit, label(unit) + (unitNotation && unitNotation !== label(unit) ? ` (${unitNotation})` : ''))),
        factRow('As reported', rn && `${group(rn)}${rs ? ' ' + label(rs) : ''}${cur ? ' ' + cur : ''}`),
        factRow('Date', date && dateText(date, prec)),
        factRow('Period', per && `${fmtPeriod(per)} (${per})`)),
      srcs);
  }

  function eventCard(g, srcs) {
    const type = val(g, B + 'eventType'), about = val(g, S + 'about'), date = val(g, DC + 'date'), prec = val(g, B + 'datePrecision');
    return h('section', { class: 'event card', 'aria-label': 'The event' },
      h('p', { class: 'figure-value' }, type ? label(type) : 'Event', date ? ' · ' + fmtDate(date, prec) : ''),
      h('dl', { class: 'facts' },
        factRow('What', type && iriLink(type)),
        factRow('About', about && iriLink(about)),
        factRow('Date', date && dateText(date, prec))),
      srcs);
  }

  async function downloadTurtle(e) {
    e.preventDefault();
    const a = e.currentTarget;
    status('Downloading…');
    try {
      const res = await request(a.getAttribute('href'), { headers: { Accept: 'text/turtle' } });
      const url = URL.createObjectURL(await res.blob());
      const tmp = h('a', { href: url, download: a.getAttribute('download') });
      document.body.append(tmp);
      tmp.click();
      tmp.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      status('Downloaded ' + a.getAttribute('download'));
    } catch (err) {
      if (err.name !== 'AbortError') status(err.message, true);
    }
  }

  async function viewResource(iri) {
    const back = h('p', { class: 'back' }, h('a', { href: '#/' }, '← All questions'));
    if (!okIri(iri)) {
      page('Not a resource', back, h('p', { class: 'error-box' }, 'The address does not name a valid IRI.'));
      status('Not a valid IRI', true);
      return;
    }
    const h1 = page(short(iri), back, h('p', { class: 'iri' }, iri));
    status('Loading…');
    const I = `<${iri}>`;
    const out = (await sparql(`SELECT ?g ?p ?o WHERE { GRAPH ?g { ${I} ?p ?o } } LIMIT ${MAX_OUT + 1}`)).results.bindings;
    const inc = (await sparql(`SELECT DISTINCT ?s ?p WHERE { GRAPH ?g { ?s ?p ${I} } } LIMIT ${MAX_IN + 1}`)).results.bindings;
    const outShown = out.slice(0, MAX_OUT), incShown = inc.slice(0, MAX_IN);
    const g = groupBy(outShown.map((b) => ({ p: b.p.value, t: b.o })));
    const gi = groupBy(incShown.map((b) => ({ p: b.p.value, t: b.s })));
    const types = (g.get(RDF + 'type') || []).map((t) => t.value);
    const isObs = types.includes(B + 'Observation'), isEvent = types.includes(B + 'Event');
    const paras = (g.get(P + 'wasDerivedFrom') || []).filter((t) => t.type === 'uri').map((t) => t.value);
    if (types.includes(B + 'Paragraph')) paras.push(iri);
    const graphs = [...new Set(outShown.map((b) => b.g.value))];
    const unit = val(g, S + 'unitCode');

    const iris = [iri, ...g.keys(), ...gi.keys(), ...graphs];
    for (const rows of [g, gi]) for (const vs of rows.values()) for (const t of vs) if (t.type === 'uri') iris.push(t.value);
    await fetchLabels(iris);
    const srcs = await sources(paras.filter(okIri));
    let unitNotation = null;
    if (unit && okIri(unit)) {
      const j = await sparql(`SELECT ?n WHERE { GRAPH ?g { <${unit}> <${SK}notation> ?n } } LIMIT 1`);
      unitNotation = j.results.bindings.length ? j.results.bindings[0].n.value : null;
    }

    let title = label(iri);
    if (isObs || isEvent) {
      const what = isObs ? val(g, S + 'variableMeasured') : val(g, B + 'eventType');
      const about = isObs ? val(g, S + 'observationAbout') : val(g, S + 'about');
      if (what) title = label(what) + (about ? ' · ' + label(about) : '');
    }
    h1.textContent = title;
    document.title = title + ' · brikg';

    const parts = [];
    if (types.length) parts.push(h('p', { class: 'types' }, 'Type: ', types.map((t, i) => [i ? ', ' : '', iriLink(t)])));
    if (isObs) parts.push(figureCard(g, srcs, unitNotation));
    else if (isEvent) parts.push(eventCard(g, srcs));
    else parts.push(srcs);
    if (!g.size && /^https?:\/\//.test(iri)) parts.push(h('p', { class: 'links' }, h('a', { href: iri, rel: 'noopener noreferrer' }, 'Open this IRI on the web')));
    if (graphs.length) {
      parts.push(h('p', { class: 'graphs' }, graphs.length > 1 ? 'Described in the graphs: ' : 'Described in the graph ',
        graphs.map((gr, i) => [i ? ' · ' : '', h('a', {
          href: 'store?graph=' + enc(gr), download: short(gr).replace(/[^\w.-]+/g, '-') + '.ttl',
          class: 'graph-download', title: gr, onclick: downloadTurtle,
        }, `${short(gr)} (Turtle)`)])));
    }
    if (gi.has(S + 'observationAbout')) parts.push(await acrossArticles(iri));
    parts.push(h('h2', {}, 'What it says'));
    parts.push(g.size ? propList(g, 'props') : h('p', {}, 'The graph says nothing about this resource.'));
    if (out.length > MAX_OUT) parts.push(h('p', { class: 'note' }, `Showing the first ${MAX_OUT} values.`));
    parts.push(h('h2', {}, 'What points to it'));
    parts.push(gi.size ? [h('p', { class: 'hint' }, 'Resources that have this one as the value of a property, by property.'), propList(gi, 'props incoming')] : h('p', {}, 'Nothing in the graph points to this resource.'));
    if (inc.length > MAX_IN) parts.push(h('p', { class: 'note' }, `Showing the first ${MAX_IN} incoming links; there are more.`));
    parts.push(h('p', { class: 'links' }, h('a', {
      href: '#/sparql?query=' + enc(`SELECT ?g ?p ?o\nWHERE { GRAPH ?g { ${I} ?p ?o } }\nORDER BY ?p`),
    }, 'Query this resource in SPARQL')));
    main.append(...parts.flat());
    status(`${plural(out.length > MAX_OUT ? MAX_OUT : out.length, 'value', 'values')}, ${plural(incShown.length, 'incoming link', 'incoming links')}${inc.length > MAX_IN ? ' (more not shown)' : ''}`);
  }

  // ---- a thing's figures across articles -------------------------------------------------------
  // The bundled question `history` for this thing: its figures grouped by measure (and unit), each
  // with its source; a line over time for every measure reported at two or more dates, drawn as
  // SVG from the answer (nothing fetched from elsewhere).
  async function acrossArticles(iri) {
    const id = iri.replace(/\/+$/, '').split('/').pop();
    const section = h('section', { class: 'across', 'aria-labelledby': 'across-h' },
      h('h2', { id: 'across-h' }, 'Figures across articles'));
    let rows;
    try {
      const res = await request('queries/history?subject=' + enc(id), { headers: { Accept: RESULTS_JSON } });
      rows = (await res.json()).results.bindings;
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      section.append(h('p', { class: 'error-box' }, String(e.message || e)));
      return section;
    }
    const groups = new Map();
    for (const r of rows) {
      const key = r.measure.value + ' | ' + (r.unit ? r.unit.value : '');
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r);
    }
    section.append(h('p', { class: 'hint' }, `${plural(rows.length, 'figure', 'figures')} of ${plural(groups.size, 'measure', 'measures')}, from every article that reports one.`));
    for (const [, rs] of groups) {
      const unit = rs[0].unit ? rs[0].unit.value : '';
      const title = rs[0].measure.value + (unit ? ` (${unit})` : '');
      const fig = h('figure', { class: 'measure' }, h('figcaption', {}, title));
      const dated = rs.filter((r) => r.asOf);
      if (new Set(dated.map((r) => r.asOf.value)).size >= 2) fig.append(lineChart(title, unit, dated));
      fig.append(h('table', { class: 'points' },
        h('thead', {}, h('tr', {}, ['Date', 'Bound', 'Value', 'Change', 'Source'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rs.map((r) => h('tr', {},
          h('td', {}, r.asOf ? r.asOf.value : '—'),
          h('td', {}, r.bound ? r.bound.value : ''),
          h('td', { class: 'num' }, Number(r.value.value).toLocaleString('en') + (unit ? ' ' + unit : '')),
          h('td', { class: 'num' }, r.change ? (Number(r.change.value) > 0 ? '+' : '') + Number(r.change.value).toLocaleString('en') : ''),
          h('td', {}, sourceText(r)))))));
      section.append(fig);
    }
    return section;
  }
  const sourceText = (r) => `${r.article.value}, section ${r.section.value}, paragraph ${r.paragraph.value}`;

  // A line over time: one point per figure, each with its value, bound and source as its title
  // (shown on hover and read by screen readers); the axes say the dates and the unit.
  function lineChart(title, unit, rows) {
    const W = 560, H = 220, L = 70, R = 40, T = 14, B = 36;
    const svgNs = 'http://www.w3.org/2000/svg';
    const el = (tag, attrs, text) => {
      const e = document.createElementNS(svgNs, tag);
      for (const k in attrs) e.setAttribute(k, String(attrs[k]));
      if (text != null) e.textContent = text;
      return e;
    };
    const t = rows.map((r) => Date.parse(r.asOf.value));
    const v = rows.map((r) => Number(r.value.value));
    const [t0, t1] = [Math.min(...t), Math.max(...t)];
    const v1 = Math.max(...v), v0 = Math.min(0, ...v);
    const x = (d) => L + (t1 === t0 ? 0.5 : (d - t0) / (t1 - t0)) * (W - L - R);
    const y = (n) => T + (1 - (n - v0) / ((v1 - v0) || 1)) * (H - T - B);
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart', 'aria-label': `${title} over time` });
    svg.append(el('title', {}, `${title} over time`));
    svg.append(el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }));
    svg.append(el('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }));
    for (const n of [v0, (v0 + v1) / 2, v1]) {
      svg.append(el('text', { x: L - 6, y: y(n) + 4, 'text-anchor': 'end', class: 'tick' }, Number(n.toPrecision(3)).toLocaleString('en')));
    }
    if (unit) svg.append(el('text', { x: L + 6, y: T + 4, class: 'tick' }, unit));
    const dates = [...new Set(rows.map((r) => r.asOf.value))].sort();
    for (const d of dates) svg.append(el('text', { x: x(Date.parse(d)), y: H - B + 16, 'text-anchor': 'middle', class: 'tick' }, d));
    // The line through each date's highest figure; every figure a point.
    const byDate = dates.map((d) => Math.max(...rows.filter((r) => r.asOf.value === d).map((r) => Number(r.value.value))));
    svg.append(el('polyline', { points: dates.map((d, i) => `${x(Date.parse(d))},${y(byDate[i])}`).join(' '), class: 'line' }));
    rows.forEach((r, i) => {
      const c = el('circle', { cx: x(t[i]), cy: y(v[i]), r: 4.5, class: 'point', tabindex: 0 });
      c.append(el('title', {}, `${r.asOf.value}: ${r.bound ? r.bound.value + ' ' : ''}${Number(r.value.value).toLocaleString('en')}${unit ? ' ' + unit : ''} (${sourceText(r)})`));
      svg.append(c);
    });
    const link = h('a', { class: 'svg-download', download: title.replace(/[^\w.-]+/g, '-') + '.svg', href: '#' }, 'Download this chart (SVG)');
    link.addEventListener('click', () => {
      link.href = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }));
    });
    return h('div', { class: 'chart-box' }, svg, link);
  }

  // ---- router --------------------------------------------------------------------------------
  async function route() {
    const hash = location.hash.replace(/^#/, '');
    if (hash && hash[0] !== '/') return; // an in-page anchor such as the skip link
    ctrl.abort();
    ctrl = new AbortController();
    status('');
    const i = hash.indexOf('?');
    const path = i < 0 ? hash : hash.slice(0, i);
    const params = new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
    try {
      const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
      if (!seg.length) await viewHome();
      else if (seg[0] === 'query' && seg[1]) await viewQuery(seg[1], params, seg[2] === 'run');
      else if (seg[0] === 'sparql') await viewSparql(params);
      else if (seg[0] === 'resource') await viewResource(params.get('iri'));
      else page('Not found', h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the questions.')));
    } catch (e) {
      fail(e);
    }
    moveFocus = true;
  }

  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    main.focus();
  });
  window.addEventListener('hashchange', route);
  route();
})();
