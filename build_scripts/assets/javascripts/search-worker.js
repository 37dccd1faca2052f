// The online site's search: a web worker speaking the theme's search protocol (Material for
// MkDocs 9.8: SETUP 0, READY 1, QUERY 2, RESULT 3), over the static index that
// build_scripts/render/search_index.py writes. A search fetches the key files of its words and
// the record files of the results it shows, never the whole index. Every text from the index is
// escaped before it becomes the HTML the theme shows.
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;
// Results shown for a search: their records are fetched, the rest are not.
const SHOWN = 24;
// Completing the last word reads at most this many key files and this many keys.
const PREFIX_FILES = 3;
const PREFIX_KEYS = 80;
// The last word is completed when it has this many characters.
const PREFIX_LENGTH = 3;
// A result holding the search's words as one phrase ranks above those that do not; one whose
// title holds them, above those.
const PHRASE_BOOST = 1000;

let meta = null;
let root = null;
let latest = 0;
const files = new Map();

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/** The words of a text as the index reads them (search_index.words): lower case, accents
 * removed, runs of letters and digits of two characters or more. */
function words(text) {
  const bare = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
  return (bare.match(/[\p{L}\p{N}]+/gu) || []).filter((word) => word.length > 1);
}

function fold(word) {
  return word.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
}

function escape(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function load(path) {
  if (!files.has(path)) {
    const address = new URL(`${meta.folder}/${path}?v=${meta.version}`, root);
    const request = fetch(address).then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.url}`);
      return response.json();
    });
    request.catch(() => files.delete(path));
    files.set(path, request);
  }
  return files.get(path);
}

/** The number of the key file holding a key: the last whose first key is not after it. */
function fileOf(key) {
  let low = 0;
  let high = meta.keys.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (meta.keys[middle] <= key) low = middle;
    else high = middle - 1;
  }
  return low;
}

const keyFile = (number) => load(`keys/${number}.json`);

/** The stem a word as written stands for, from the file holding it; null when no record has it. */
function stemIn(file, word) {
  if (has(file.a, word)) return file.a[word];
  return has(file.p, word) ? word : null;
}

async function postingsOf(stem) {
  const file = await keyFile(fileOf(stem));
  return has(file.p, stem) ? file.p[stem] : [];
}

/** The stems a query's word finds: its own, and when it is completed, those of every word it
 * begins. */
async function stemsOf(word, complete) {
  const first = fileOf(word);
  const stems = new Set();
  const own = stemIn(await keyFile(first), word);
  if (own !== null) stems.add(own);
  if (!complete) return stems;
  let keys = 0;
  for (let n = first; n < meta.keys.length && n < first + PREFIX_FILES; n += 1) {
    if (n > first && !meta.keys[n].startsWith(word)) break;
    const file = await keyFile(n);
    for (const part of [file.a, file.p]) {
      for (const key of Object.keys(part)) {
        if (keys >= PREFIX_KEYS) return stems;
        if (key.startsWith(word)) {
          stems.add(stemIn(file, key));
          keys += 1;
        }
      }
    }
  }
  return stems;
}

/** Each record a query's word finds, with its weight (the best of its stems'). */
async function matchesOf(word, complete) {
  const stems = [...(await stemsOf(word, complete))];
  const found = new Map();
  for (const postings of await Promise.all(stems.map(postingsOf))) {
    let record = 0;
    for (let i = 0; i < postings.length; i += 2) {
      record += postings[i];
      found.set(record, Math.max(found.get(record) || 0, postings[i + 1]));
    }
  }
  return { stems, found };
}

function record(number) {
  return load(`records/${Math.floor(number / meta.per_file)}.json`).then(
    (rows) => rows[number % meta.per_file],
  );
}

/** A query's words: those to search for (stop words left out, unless that leaves none), and
 * whether the last one is to be completed (it is still being typed). */
function parse(query) {
  const all = words(query);
  const stop = new Set(meta.stop);
  const kept = all.filter((word) => !stop.has(word));
  const searched = kept.length ? kept : all;
  const typing = /[\p{L}\p{N}]$/u.test(query);
  return { all, searched: [...new Set(searched)], typing };
}

async function search(query) {
  const { all, searched, typing } = parse(query);
  if (!searched.length) return [];
  const last = searched[searched.length - 1];
  const matches = await Promise.all(
    searched.map((word) =>
      matchesOf(word, typing && word === last && word.length >= PREFIX_LENGTH),
    ),
  );
  const total = meta.records;
  const idf = matches.map(({ found }) =>
    Math.log(1 + (total - found.size + 0.5) / (found.size + 0.5)),
  );
  const scores = new Map();
  const hits = new Map();
  matches.forEach(({ found }, i) => {
    for (const [number, weight] of found) {
      scores.set(number, (scores.get(number) || 0) + (idf[i] * weight) / 100);
      hits.set(number, (hits.get(number) || 0) + 1);
    }
  });
  const everyWord = [...hits].filter(([, n]) => n === searched.length).map(([r]) => r);
  const chosen = everyWord.length ? everyWord : [...scores.keys()];
  chosen.sort((a, b) => scores.get(b) - scores.get(a) || a - b);
  const top = chosen.slice(0, SHOWN);
  const rows = await Promise.all(top.map(record));
  const phrase = all.length > 1 ? ` ${all.join(" ")}` : null;
  const found = top.map((number, i) => {
    const row = rows[i];
    let score = scores.get(number);
    if (phrase && ` ${words(row[3]).join(" ")} `.includes(phrase)) score += 2 * PHRASE_BOOST;
    else if (phrase && ` ${words(row[4]).join(" ")} `.includes(phrase)) score += PHRASE_BOOST;
    return { number, row, score };
  });
  found.sort((a, b) => b.score - a.score || a.number - b.number);
  const terms = {};
  searched.forEach((word, i) => {
    terms[word] = matches[i].found.size > 0;
  });
  const marks = searched.map((word, i) => ({
    word,
    stems: [...matches[i].stems],
    complete: typing && word === last,
  }));
  return group(found, terms, marks);
}

/** Whether a word of a record's text is one the search found. */
function marked(token, marks) {
  const word = fold(token);
  return marks.some(
    (mark) =>
      word === mark.word ||
      (mark.complete && word.startsWith(mark.word)) ||
      mark.stems.some((stem) => stem.length > 2 && word.startsWith(stem)),
  );
}

/** Text as HTML with the found words marked: the whole of a short text, else a window around
 * the first found word. */
function highlight(text, marks, limit) {
  const tokens = [...text.matchAll(/[\p{L}\p{N}]+/gu)].filter((t) => marked(t[0], marks));
  let start = 0;
  let end = text.length;
  if (text.length > limit) {
    const at = tokens.length ? tokens[0].index : 0;
    start = Math.max(0, at - Math.floor(limit / 4));
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    end = Math.min(text.length, start + limit);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
  }
  let html = start > 0 ? "… " : "";
  let at = start;
  for (const token of tokens) {
    const from = token.index;
    const to = from + token[0].length;
    if (from < start || to > end) continue;
    html += `${escape(text.slice(at, from))}<mark>${escape(token[0])}</mark>`;
    at = to;
  }
  html += escape(text.slice(at, end)) + (end < text.length ? " …" : "");
  return html;
}

function title(kind, study, text, marks) {
  const label = [kind, study].filter(Boolean).map(escape).join(" · ");
  const shown = highlight(text, marks, Infinity);
  return label ? `<span class="evidence-search-kind">${label}</span> ${shown}` : shown;
}

/** The theme's result items: one per page, the page first (as a title only when the search did
 * not find the page itself), then the units found on it. */
function group(found, terms, marks) {
  const pages = new Map();
  for (const { row, score } of found) {
    const [location, kind, study, heading, text, pageTitle] = row;
    const page = location.split("#")[0];
    if (!pages.has(page)) pages.set(page, { page: null, units: [], best: score, pageTitle });
    const entry = pages.get(page);
    const doc = {
      location,
      title: title(kind, study, heading, marks),
      text: `<p>${highlight(text, marks, kind === "Quotation" ? 600 : 240)}</p>`,
      score,
      terms,
    };
    if (location === page) entry.page = doc;
    else entry.units.push(doc);
  }
  return [...pages].map(([page, entry]) => {
    const head = entry.page || {
      location: page,
      title: escape(entry.pageTitle),
      text: "",
      score: entry.best,
      terms,
    };
    return [head, ...entry.units];
  });
}

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    meta = message.data.config.evidence;
    root = new URL("../search/", self.location.href);
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    latest += 1;
    const asked = latest;
    let items = [];
    try {
      items = await search(String(message.data || ""));
    } catch (error) {
      console.error("search:", error);
    }
    if (asked === latest) self.postMessage({ type: RESULT, data: { items } });
  }
});
