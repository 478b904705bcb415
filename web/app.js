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
  const MAX_ROWS = 5000; // rows the map and charts are drawn from; the downloads have them all
  const PAGE_ROWS = 100; // rows in one page of the table
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
  // The table of a long answer one page at a time, with where the page stands in the whole:
  // drawing 10,000 rows at once keeps a browser busy for seconds. draw(slice) fills the table
  // with one page's rows (false when the view changed meanwhile).
  function pages(rows, draw) {
    const last = Math.ceil(rows.length / PAGE_ROWS) - 1;
    const num = (n) => n.toLocaleString('en');
    const range = h('span', { class: 'range', id: 'range' });
    let at = 0;
    const button = (text, label, to) => h('button', { type: 'button', 'aria-label': label, onclick: () => show(to()) }, text);
    const first = button('« First', 'First page', () => 0);
    const prev = button('‹ Previous', 'Previous page', () => at - 1);
    const next = button('Next ›', 'Next page', () => at + 1);
    const end = button('Last »', 'Last page', () => last);
    async function show(n) {
      n = Math.max(0, Math.min(last, n));
      const from = n * PAGE_ROWS, to = Math.min(rows.length, from + PAGE_ROWS);
      if (!(await draw(rows.slice(from, to)))) return;
      at = n;
      range.textContent = `Rows ${num(from + 1)}–${num(to)} of ${num(rows.length)}`;
      first.disabled = prev.disabled = n === 0;
      next.disabled = end.disabled = n === last;
      status(range.textContent);
    }
    const nav = h('nav', { class: 'pager', 'aria-label': 'Pages of the answer' }, first, prev, range, next, end);
    return { nav, show };
  }

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
      const places = await countryIndex();
      if (signal.aborted) return;
      const tbody = h('tbody');
      const table = h('table', { id: 'results' },
        h('thead', {}, h('tr', {}, vars.map((v) => h('th', { scope: 'col' }, v)))), tbody);
      const pager = rows.length > PAGE_ROWS ? pages(rows, async (slice) => {
        const more = [];
        for (const r of slice) for (const v in r) if (r[v].type === 'uri') more.push(r[v].value);
        await fetchLabels(more);
        if (signal.aborted) return false;
        tbody.replaceChildren(...slice.map((r) => h('tr', {}, vars.map((v) => h('td', { class: cellClass(r[v]) }, cellNode(r, v, vars, places))))));
        return true;
      }) : null;
      if (pager) await pager.show(0);
      else tbody.replaceChildren(...rows.map((r) => h('tr', {}, vars.map((v) => h('td', { class: cellClass(r[v]) }, cellNode(r, v, vars, places))))));
      const visuals = await answerVisuals(vars, shown, fileBase, places);
      if (signal.aborted) return;
      box.replaceChildren(
        visuals,
        h('div', { class: 'result-bar' },
          h('p', { class: 'count', id: 'count' }, count),
          download && h('p', { class: 'downloads' }, 'Download: ',
            h('a', { href: download('csv'), download: fileBase + '.csv' }, 'CSV'), ' · ',
            h('a', { href: download('json'), download: fileBase + '.json' }, 'JSON'))),
        pager && pager.nav,
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
  // Where a figure stands, from whichever of the answer's columns say it.
  const sourceText = (r) => [r.article && r.article.value, r.section && 'section ' + r.section.value,
    r.paragraph && 'paragraph ' + r.paragraph.value].filter(Boolean).join(', ') || 'source not in the answer';

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
    return h('div', { class: 'chart-box' }, svg, svgDownload(svg, title));
  }

  // ---- numbers as people read them -------------------------------------------------------------
  // A figure in a table reads as a sentence would say it ("more than US$340 billion"), from the
  // answer's own bound, unit or currency, and reported number and scale where the answer has them;
  // the exact value, bound and unit are in its title, one hover or focus away. Downloads are the
  // server's answer, untouched.
  const BOUND_WORDS = { 'greater than': 'more than', approximately: 'about', exactly: '' };
  const SCALES = [[1e12, 'trillion'], [1e9, 'billion'], [1e6, 'million']];
  let currencies = null;
  function isCurrency(code) {
    if (!/^[A-Z]{3}$/.test(code)) return false;
    if (!currencies) {
      try { currencies = new Set(Intl.supportedValuesOf('currency')); } catch (e) { currencies = new Set(); }
    }
    return currencies.has(code);
  }
  // The symbol people write before an amount (US$, CN¥, €), or null where there is none.
  function currencySymbol(code) {
    try {
      const part = new Intl.NumberFormat('en-GB', { style: 'currency', currency: code }).formatToParts(1).find((p) => p.type === 'currency');
      return part && part.value !== code ? part.value : null;
    } catch (e) { return null; }
  }
  const lit = (r, v) => (r[v] && r[v].type !== 'uri' ? r[v].value : null);
  // Reads a number in words: 1860000 -> "1.86 million", 78000 -> "78,000", 45.2 -> "45.2".
  function readable(n) {
    for (const [size, word] of SCALES) {
      if (Math.abs(n) >= size) return `${(n / size).toLocaleString('en', { maximumFractionDigits: 2 })} ${word}`;
    }
    return n.toLocaleString('en', { maximumFractionDigits: 3 });
  }
  // The readable text and the exact one of a figure: value, bound and unit from the row.
  function figureText(raw, bound, unit, reported, scale) {
    const n = Number(raw);
    const amount = reported && scale ? `${group(reported)} ${scale}` : readable(n);
    let text;
    if (unit === '%') text = `${amount} %`;
    else if (unit && isCurrency(unit)) {
      const sym = currencySymbol(unit);
      text = sym ? sym + amount : `${amount} ${unit}`;
    } else text = unit ? `${amount} ${unit}` : amount;
    const words = bound != null && bound in BOUND_WORDS ? BOUND_WORDS[bound] : bound;
    return {
      text: (words ? words + ' ' : '') + text,
      exact: [bound, group(raw), unit].filter(Boolean).join(' '),
    };
  }
  // One cell of the table: a figure read as words where the row says what it is, other numbers
  // with thousands separators, a country's code linked to its page.
  function cellNode(r, v, vars, places) {
    const t = r[v];
    if (t && t.type === 'literal' && cellClass(t) === 'num') {
      if (v === 'value') {
        const unit = lit(r, 'unit') || lit(r, 'currency');
        const f = figureText(t.value, lit(r, 'bound'), unit, lit(r, 'reported'), lit(r, 'scale'));
        return h('span', { class: 'fig', tabindex: '0', title: 'exact: ' + f.exact }, f.text);
      }
      return h('span', { title: t.value }, group(t.value));
    }
    if (t && t.type === 'literal' && v === 'alpha2' && places.byCode.has(t.value)) {
      return h('a', { href: resHref(places.byCode.get(t.value).iri), title: places.byCode.get(t.value).iri }, t.value);
    }
    return termNode(t);
  }

  // ---- the countries of the graph and the world map ----------------------------------------------
  let placesPromise = null;
  // Every country of the reference data: its IRI, code and English name (one query, once).
  function countryIndex() {
    if (!placesPromise) {
      placesPromise = sparql(`PREFIX brikg: <${B}>
PREFIX skos: <${SK}>
SELECT ?c ?a2 ?name WHERE { GRAPH ?r { ?c a brikg:Country ; brikg:iso3166Alpha2 ?a2 ; skos:prefLabel ?name FILTER (LANG(?name) = "en") } }`)
        .then((json) => {
          const byIri = new Map(), byCode = new Map();
          for (const b of json.results.bindings) {
            const p = { iri: b.c.value, code: b.a2.value, name: b.name.value };
            byIri.set(p.iri, p);
            byCode.set(p.code, p);
          }
          return { byIri, byCode };
        })
        .catch((e) => {
          placesPromise = null;
          if (e.name === 'AbortError') throw e;
          return { byIri: new Map(), byCode: new Map() }; // no map then, the table still shows
        });
    }
    return placesPromise;
  }
  let worldPromise = null;
  // The boundaries (precomputed by scripts/gen-world-map.py, compiled into the binary).
  function world() {
    if (!worldPromise) {
      worldPromise = fetch('assets/world-110m.json').then((res) => {
        if (!res.ok) throw new ServerError(`Error (${res.status}): the world map`);
        return res.json();
      });
      worldPromise.catch(() => { worldPromise = null; });
    }
    return worldPromise;
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs, text) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const k in attrs || {}) if (attrs[k] != null) e.setAttribute(k, String(attrs[k]));
    if (text != null) e.textContent = text;
    return e;
  }
  const isNum = (t) => !!t && t.type !== 'uri' && cellClass(t) === 'num';
  const numText = (n) => Number(n).toLocaleString('en', { maximumFractionDigits: 3 });

  // The column of the answer that names countries: IRIs of our countries, or ISO alpha-2 codes.
  function countryColumn(vars, rows, places) {
    for (const v of vars) {
      const ts = rows.map((r) => r[v]).filter(Boolean);
      if (!ts.length) continue;
      if (ts.every((t) => t.type === 'uri' && places.byIri.has(t.value))) return (r) => r[v] && places.byIri.get(r[v].value);
      if (v === 'alpha2' && ts.every((t) => t.type === 'literal' && places.byCode.has(t.value))) return (r) => r[v] && places.byCode.get(r[v].value);
    }
    return null;
  }

  // A map of the answer's countries above its table: filled (shaded by the answer's number when
  // there is one number per country), the others grey, each with its name and value on hover and
  // focus, a click or Enter opening the country's page.
  async function countryMap(vars, rows, fileBase, places) {
    const placeOf = countryColumn(vars, rows, places);
    if (!placeOf) return null;
    const geo = await world();
    const per = new Map();
    for (const r of rows) {
      const p = placeOf(r);
      if (!p) continue;
      if (!per.has(p.code)) per.set(p.code, { place: p, rows: [] });
      per.get(p.code).rows.push(r);
    }
    // Shaded by a number only where each country has one row and the number differs between them
    // (a total repeated on every row says nothing about a country).
    let measure = null;
    if ([...per.values()].every((c) => c.rows.length === 1)) {
      measure = vars.find((v) => rows.every((r) => isNum(r[v])) && new Set(rows.map((r) => r[v].value)).size > 1) || null;
    }
    const valueOf = (c) => (measure ? Number(c.rows[0][measure].value) : null);
    const vals = measure ? [...per.values()].map(valueOf) : [];
    const [lo, hi] = measure ? [Math.min(...vals), Math.max(...vals)] : [0, 0];
    const shade = (n) => (hi > lo ? (n - lo) / (hi - lo) : 1);
    const describe = (c) => c.place.name + (measure ? `: ${measure} ${numText(valueOf(c))}` : c.rows.length > 1 ? `: ${plural(c.rows.length, 'row', 'rows')}` : '');

    const readout = h('p', { class: 'map-readout idle', 'aria-hidden': 'true' }, 'Point at or tab to a country; a click or Enter opens its page.');
    const svg = svgEl('svg', { viewBox: `0 0 ${geo.width} ${geo.height}`, class: 'world', id: 'map', role: 'group',
      'aria-label': `World map of the answer's ${plural(per.size, 'country', 'countries')}` });
    svg.append(svgEl('title', {}, `Countries of the answer${measure ? ', shaded by ' + measure : ''}`));
    for (const u of geo.unassigned) {
      const p = svgEl('path', { d: u.d, class: 'land' });
      p.append(svgEl('title', {}, `${u.name} (no ISO 3166-1 code)`));
      svg.append(p);
    }
    const codes = Object.keys(geo.countries);
    for (const code of codes) {
      const c = per.get(code);
      const name = (places.byCode.get(code) || geo.countries[code]).name;
      const p = svgEl('path', { d: geo.countries[code].d, 'data-a2': code, class: c ? 'land in' : 'land' });
      if (c) {
        const text = describe(c);
        p.setAttribute('tabindex', '0');
        p.setAttribute('role', 'link');
        p.setAttribute('aria-label', text);
        if (measure) p.style.setProperty('--t', (0.25 + 0.75 * shade(valueOf(c))).toFixed(3));
        const open = () => { location.hash = resHref(c.place.iri); };
        p.addEventListener('click', open);
        p.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
        for (const ev of ['mouseenter', 'focus']) p.addEventListener(ev, () => { readout.textContent = text; readout.classList.remove('idle'); });
        p.append(svgEl('title', {}, text));
      } else p.append(svgEl('title', {}, name));
      svg.append(p);
    }
    // The answer's countries last, so their outline is drawn over their neighbours'.
    for (const p of [...svg.querySelectorAll('path.in')]) svg.append(p);
    const missing = [...per.values()].filter((c) => !geo.countries[c.place.code]).map((c) => c.place.name);
    const legend = h('p', { class: 'legend' },
      measure
        ? [`${measure}: ${numText(lo)} `, h('span', { class: 'swatch ramp', role: 'img', 'aria-label': 'to' }), ` ${numText(hi)}`]
        : [h('span', { class: 'swatch in', 'aria-hidden': 'true' }), ' in the answer'],
      ' ', h('span', { class: 'swatch out', 'aria-hidden': 'true' }), ' not in the answer');
    return h('figure', { class: 'map-box' },
      h('figcaption', {}, `Where: ${plural(per.size, 'country', 'countries')} of the answer`),
      svg, readout, legend,
      missing.length ? h('p', { class: 'note', id: 'map-missing' }, 'Too small for this map: ' + missing.join(', ') + ' (in the table).') : null,
      h('p', { class: 'attribution' }, 'Boundaries: ', h('a', { href: 'https://www.naturalearthdata.com/', rel: 'noopener noreferrer' }, 'Natural Earth'),
        ' 1:110m, via world-atlas 2.0.2 (ISC). Kosovo, Northern Cyprus and Somaliland have no ISO 3166-1 code and stay grey.'),
      svgDownload(svg, fileBase + '-map', 'map'));
  }

  // ---- charts of an answer ---------------------------------------------------------------------
  // Bars for an aggregate: the first column names what is counted (a country, a year, a measure;
  // one row each), the other columns are numbers (or the country's codes). Bars of the first
  // number column, in the answer's order.
  function aggregate(vars, rows) {
    if (rows.length < 2 || rows.length > 60 || vars.length < 2) return null;
    const [cat, ...rest] = vars;
    if (new Set(rows.map((r) => r[cat] && r[cat].value)).size !== rows.length) return null;
    const nums = rest.filter((v) => rows.every((r) => isNum(r[v])));
    const others = rest.filter((v) => !nums.includes(v));
    if (!nums.length || !others.every((v) => /^alpha[23]$|^code$/.test(v))) return null;
    return { cat, nums };
  }
  const PLOT_H = 200; // the height of the bars' area, in the SVG's units
  function barChart(vars, rows, agg, fileBase) {
    const { cat, nums } = agg;
    const col = nums[0];
    const W0 = 70, R = 16, T = 18, LABEL = 96;
    const step = Math.max(24, Math.min(64, 560 / rows.length));
    const W = W0 + R + step * rows.length, H = T + PLOT_H + LABEL;
    const vals = rows.map((r) => Number(r[col].value));
    const max = Math.max(...vals, 0) || 1;
    const name = (r) => (r[cat].type === 'uri' ? label(r[cat].value) : r[cat].value);
    const title = `${col} by ${cat}`;
    const source = fileBase === 'query' ? 'your query' : `the question ${fileBase}`;
    const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart bars', role: 'img', 'aria-label': title, style: `max-width:${W}px` });
    svg.append(svgEl('title', {}, title));
    const y = (n) => T + PLOT_H - (n / max) * PLOT_H;
    for (const n of [0, max / 2, max]) {
      svg.append(svgEl('line', { x1: W0 - 4, y1: y(n), x2: W - R, y2: y(n), class: n ? 'grid' : 'axis' }));
      svg.append(svgEl('text', { x: W0 - 8, y: y(n) + 4, 'text-anchor': 'end', class: 'tick' }, numText(Number(n.toPrecision(3)))));
    }
    svg.append(svgEl('text', { x: 12, y: T + PLOT_H / 2, class: 'axis-label', transform: `rotate(-90 12 ${T + PLOT_H / 2})`, 'text-anchor': 'middle' }, col));
    svg.append(svgEl('text', { x: W0 + (W - W0 - R) / 2, y: H - 4, class: 'axis-label', 'text-anchor': 'middle' }, cat));
    rows.forEach((r, i) => {
      const x = W0 + i * step + step * 0.15;
      const hgt = Math.round((vals[i] / max) * PLOT_H * 100) / 100;
      const text = `${name(r)}: ` + nums.map((v) => `${v} ${numText(r[v].value)}`).join(', ') + ` (${source})`;
      const bar = svgEl('rect', { x: x.toFixed(2), y: (T + PLOT_H - hgt).toFixed(2), width: (step * 0.7).toFixed(2), height: hgt,
        class: 'bar', tabindex: 0, 'data-value': r[col].value, 'aria-label': text });
      bar.append(svgEl('title', {}, text));
      svg.append(bar);
      const n = name(r);
      const lx = x + step * 0.35, ly = T + PLOT_H + 12;
      svg.append(svgEl('text', { x: lx.toFixed(2), y: ly, class: 'tick', 'text-anchor': 'end', transform: `rotate(-45 ${lx.toFixed(2)} ${ly})` },
        n.length > 16 ? n.slice(0, 15) + '…' : n));
    });
    return h('figure', { class: 'chart-box bar-box' }, h('figcaption', {}, title), svg, svgDownload(svg, fileBase + '-' + col));
  }

  // Lines over time: a measure of one subject (and unit) reported at two dates or more.
  function timeCharts(vars, rows) {
    if (!['measure', 'value', 'asOf'].every((v) => vars.includes(v))) return [];
    const groups = new Map();
    for (const r of rows) {
      if (!r.asOf || !isNum(r.value) || !r.measure) continue;
      const unit = lit(r, 'unit') || lit(r, 'currency') || '';
      const subject = r.subject ? (r.subject.type === 'uri' ? label(r.subject.value) : r.subject.value) : '';
      const key = [subject, r.measure.value, unit].join(' | ');
      if (!groups.has(key)) groups.set(key, { subject, measure: r.measure.type === 'uri' ? label(r.measure.value) : r.measure.value, unit, rows: [] });
      groups.get(key).rows.push(r);
    }
    return [...groups.values()].filter((g) => new Set(g.rows.map((r) => r.asOf.value)).size >= 2)
      .map((g) => {
        const title = (g.subject ? g.subject + ': ' : '') + g.measure + (g.unit ? ` (${g.unit})` : '');
        return h('figure', { class: 'chart-box line-box' }, h('figcaption', {}, title), lineChart(title, g.unit, g.rows));
      });
  }

  // What is drawn above the table: a map where the answer is about countries, bars for an
  // aggregate, lines for figures over time. Nothing when the answer is none of these.
  async function answerVisuals(vars, rows, fileBase, places) {
    const out = [];
    try {
      const map = await countryMap(vars, rows, fileBase || 'query', places);
      if (map) out.push(map);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      out.push(h('p', { class: 'note' }, 'The map could not be drawn: ' + e.message));
    }
    const agg = aggregate(vars, rows);
    if (agg) out.push(barChart(vars, rows, agg, fileBase || 'query'));
    out.push(...timeCharts(vars, rows));
    return out.length ? h('div', { class: 'visuals' }, out) : '';
  }

  // The chart as a standalone SVG file: the page's chart styles inlined, so it reads the same
  // outside the page.
  const CHART_CSS = `text{font:11px sans-serif;fill:#1d2125}.axis,.grid{stroke:#5b636b;stroke-width:1}.grid{stroke-dasharray:2 3;opacity:.5}
.bar,.land.in{fill:#2f6db5}.land{fill:#c9ced3;stroke:#fff;stroke-width:.5}.land.in{fill-opacity:var(--t,1)}
.line{fill:none;stroke:#2f6db5;stroke-width:2}.point{fill:#2f6db5;stroke:#fff;stroke-width:1.5}`;
  function svgDownload(svg, name, what = 'chart') {
    const file = name.replace(/[^\w.-]+/g, '-') + '.svg';
    const link = h('a', { class: 'svg-download', download: file, href: '#' }, `Download this ${what} (SVG)`);
    link.addEventListener('click', () => {
      const copy = svg.cloneNode(true);
      copy.setAttribute('xmlns', SVG_NS);
      copy.prepend(svgEl('style', {}, CHART_CSS));
      link.href = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
    });
    return link;
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
