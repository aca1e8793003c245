// bingli review page. Offsets are Unicode code points: the text is split with
// Array.from and every code point gets its own <span>, so a span edit only
// repaints the characters it touched and the entity row it changed.
"use strict";
(() => {
  const $ = (s) => document.querySelector(s);
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const LABELS = JSON.parse(document.querySelector('meta[name="labels"]').content);
  const EYES = [null, "right", "left", "both"];
  const ASSERTIONS = ["present", "negated", "possible", "history", "family"];
  const textEl = $("#text"), entsEl = $("#ents"), diagsEl = $("#diags tbody"), measEl = $("#meas tbody");

  let queue = [], noteID = "", chars = [], charEls = [], ents = [], rowEls = [], diags = [], diagEls = [];
  let sel = -1, selDiag = -1, orig = "", busy = false;

  const api = async (path, opts = {}) => {
    const r = await fetch("/review/api/" + path, { credentials: "same-origin", ...opts,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, ...(opts.headers || {}) } });
    if (r.status === 401) { location.href = "/review/login"; throw new Error("signed out"); }
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  };
  const status = (s) => { $("#status").textContent = s; };
  const plain = (e) => ({ label: e.label, start: e.start, end: e.end, text: e.text, score: e.score, model: e.model });
  const snapshot = () => JSON.stringify([ents.map(plain), diags]);

  // ---- text ----
  function renderText() {
    const frag = document.createDocumentFragment();
    charEls = chars.map((c, i) => { const s = document.createElement("span"); s.textContent = c; s._i = i; frag.appendChild(s); return s; });
    textEl.replaceChildren(frag);
    paint(0, chars.length);
  }
  // paint recomputes the classes of characters [lo, hi).
  function paint(lo, hi) {
    lo = Math.max(0, lo); hi = Math.min(chars.length, hi);
    for (let i = lo; i < hi; i++) {
      let top = -1;
      for (let k = 0; k < ents.length; k++) {
        const e = ents[k];
        if (e.start <= i && i < e.end && (top < 0 || e.start >= ents[top].start)) top = k;
      }
      let cls = "";
      if (top >= 0) {
        const e = ents[top];
        cls = "l-" + e.label + (i === e.start ? " b0" : "") + (i === e.end - 1 ? " b1" : "");
      }
      if (sel >= 0 && ents[sel].start <= i && i < ents[sel].end) cls += " sel";
      if (charEls[i].className !== cls) charEls[i].className = cls;
    }
  }
  const paintEnt = (e) => e && paint(e.start, e.end);

  // ---- entity list ----
  function entRow(i) {
    const li = rowEls[i] || document.createElement("li"), e = ents[i];
    const cls = "l-" + e.label + (i === sel ? " sel" : "") + (e.accepted ? " ok" : "");
    if (li.className !== cls) li.className = cls;
    const txt = `${e.label} ${e.text} [${e.start},${e.end})${e.accepted ? " ✓" : ""}`;
    if (li.textContent !== txt) li.textContent = txt;
    li._ent = e;
    return li;
  }
  function renderEnts() {
    rowEls = [];
    const frag = document.createDocumentFragment();
    ents.forEach((_, i) => { rowEls[i] = entRow(i); frag.appendChild(rowEls[i]); });
    entsEl.replaceChildren(frag);
    count();
  }
  const count = () => { $("#ecount").textContent = "(" + ents.length + ")"; };
  entsEl.addEventListener("click", (ev) => { const li = ev.target.closest("li"); if (li) select(ents.indexOf(li._ent)); });
  textEl.addEventListener("click", (ev) => {
    if (!window.getSelection().isCollapsed) return;
    const i = ev.target._i; if (i === undefined) return;
    const k = ents.findIndex((e) => e.start <= i && i < e.end); if (k >= 0) select(k);
  });

  function select(i) {
    if (i < 0 || i >= ents.length) return;
    const old = sel; sel = i;
    if (old >= 0 && old < ents.length) { paintEnt(ents[old]); entRow(old); }
    paintEnt(ents[i]); entRow(i);
    rowEls[i].scrollIntoView({ block: "nearest" });
    charEls[ents[i].start].scrollIntoView({ block: "nearest" });
    const d = diags.findIndex((d) => d.start < ents[i].end && ents[i].start < d.end);
    if (d >= 0) selectDiag(d);
  }
  // edit changes the selected entity and repaints the union of old and new spans.
  function edit(f) {
    if (sel < 0) return;
    const e = ents[sel], lo = e.start, hi = e.end;
    f(e);
    e.start = Math.max(0, Math.min(e.start, chars.length - 1));
    e.end = Math.max(e.start + 1, Math.min(e.end, chars.length));
    e.text = chars.slice(e.start, e.end).join("");
    e.accepted = false;
    paint(Math.min(lo, e.start), Math.max(hi, e.end));
    entRow(sel);
  }
  function reject() {
    if (sel < 0) return;
    const [e] = ents.splice(sel, 1); rowEls.splice(sel, 1)[0].remove();
    const i = Math.min(sel, ents.length - 1); sel = -1;
    paintEnt(e); count();
    if (i >= 0) select(i);
  }
  function addFromSelection() {
    const s = window.getSelection();
    if (s.isCollapsed || !textEl.contains(s.anchorNode)) return;
    const r = s.getRangeAt(0);
    const at = (node, off, isEnd) => {
      const el = node.nodeType === 3 ? node.parentElement : node.childNodes[off] || node.lastChild;
      if (!el || el._i === undefined) return isEnd ? chars.length : 0;
      return node.nodeType === 3 ? el._i + (off > 0 ? 1 : 0) : el._i + (isEnd && !node.childNodes[off] ? 1 : 0);
    };
    const start = at(r.startContainer, r.startOffset, false), end = at(r.endContainer, r.endOffset, true);
    if (end <= start) return;
    const e = { label: LABELS[0], start, end, text: chars.slice(start, end).join(""), model: "annotator" };
    let i = ents.findIndex((x) => x.start > start); if (i < 0) i = ents.length;
    ents.splice(i, 0, e); rowEls.splice(i, 0, null);
    rowEls[i] = entRow(i);
    entsEl.insertBefore(rowEls[i], rowEls[i + 1] || null);
    if (sel >= i) sel++;
    s.removeAllRanges(); count();
    select(i);
  }

  // ---- diagnoses and measurements ----
  function diagRow(i) {
    const d = diags[i], tr = diagEls[i] || document.createElement("tr");
    if (!tr.firstChild) {
      tr.innerHTML = "<td></td><td></td><td><button class=eye></button></td><td><select></select></td>";
      const s = tr.querySelector("select");
      ASSERTIONS.forEach((a) => s.add(new Option(a, a)));
      s.addEventListener("change", () => { diags[i].assertion = s.value; });
      tr.querySelector("button").addEventListener("click", () => { selectDiag(i); cycleEye(); });
      tr.addEventListener("click", () => selectDiag(i));
    }
    tr.cells[0].textContent = d.text;
    tr.cells[1].textContent = (d.icd10 || "—") + (d.icd10_name ? " " + d.icd10_name : "");
    tr.cells[1].title = d.icd10_name || "";
    tr.querySelector("button").textContent = d.eye || "none";
    tr.querySelector("select").value = d.assertion;
    tr.className = i === selDiag ? "sel" : "";
    return tr;
  }
  function selectDiag(i) {
    const old = selDiag; selDiag = i;
    if (old >= 0 && old < diags.length) diagRow(old);
    if (i >= 0) diagRow(i);
  }
  function cycleEye() {
    if (selDiag < 0 && diags.length) selectDiag(0);
    if (selDiag < 0) return;
    const d = diags[selDiag];
    d.eye = EYES[(EYES.indexOf(d.eye ?? null) + 1) % EYES.length];
    diagRow(selDiag);
  }
  function cycleAssertion() {
    if (selDiag < 0 && diags.length) selectDiag(0);
    if (selDiag < 0) return;
    const d = diags[selDiag];
    d.assertion = ASSERTIONS[(ASSERTIONS.indexOf(d.assertion) + 1) % ASSERTIONS.length];
    diagRow(selDiag);
  }
  const nextDiag = () => { if (diags.length) selectDiag((selDiag + 1) % diags.length); };
  // diagForPicker is the selected diagnosis; with none selected, a selected
  // DISEASE entity without a diagnosis becomes one (a missing diagnosis).
  function diagForPicker() {
    if (selDiag >= 0) return selDiag;
    if (sel >= 0) {
      const e = ents[sel];
      let i = diags.findIndex((d) => d.start < e.end && e.start < d.end);
      if (i < 0 && e.label === "DISEASE") {
        diags.push({ text: e.text, start: e.start, end: e.end, eye: null, assertion: "present" });
        i = diags.length - 1;
        diagEls[i] = diagRow(i); diagsEl.appendChild(diagEls[i]);
      }
      if (i >= 0) selectDiag(i);
    }
    if (selDiag < 0 && diags.length) selectDiag(0);
    return selDiag;
  }

  // ---- ICD-10 code picker ----
  const picker = $("#picker"), pickQ = $("#picker-q"), pickList = $("#picker-list");
  let pickItems = [], pickSel = 0, pickSeq = 0, pickFor = -1;
  function openPicker() {
    pickFor = diagForPicker();
    if (pickFor < 0) { status("no diagnosis to code"); return; }
    picker.hidden = false;
    pickQ.value = diags[pickFor].icd10 || diags[pickFor].text;
    // Focus once the keystroke that opened the picker is over, so that its
    // character never lands in the search box.
    setTimeout(() => { pickQ.focus(); pickQ.select(); searchCodes(); }, 0);
  }
  function closePicker() { picker.hidden = true; pickQ.blur(); pickItems = []; pickList.replaceChildren(); }
  function renderPick() {
    pickList.replaceChildren(...pickItems.map((m, i) => {
      const li = document.createElement("li");
      li.className = i === pickSel ? "sel" : "";
      const c = document.createElement("code"); c.textContent = m.code;
      li.append(c, " " + m.name);
      if (m.via) { const v = document.createElement("span"); v.className = "via"; v.textContent = " ← " + m.via; li.append(v); }
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pickSel = i; choosePick(); });
      return li;
    }));
    const s = pickList.children[pickSel]; if (s) s.scrollIntoView({ block: "nearest" });
  }
  async function searchCodes() {
    const seq = ++pickSeq, q = pickQ.value.trim();
    if (!q) { pickItems = []; renderPick(); return; }
    try {
      const items = await api("codes?n=12&q=" + encodeURIComponent(q));
      if (seq !== pickSeq) return; // a later keystroke's answer wins
      pickItems = items; pickSel = 0; renderPick();
      picker.dataset.results = String(seq);
    } catch (err) { status("error: " + err.message); }
  }
  function choosePick() {
    const m = pickItems[pickSel];
    if (!m || pickFor < 0) return;
    const d = diags[pickFor];
    d.icd10 = m.code; d.icd10_name = m.name;
    diagRow(pickFor);
    closePicker();
  }
  pickQ.addEventListener("input", searchCodes);
  pickQ.addEventListener("keydown", (ev) => {
    const k = ev.key;
    if (k === "ArrowDown" || k === "ArrowUp") {
      ev.preventDefault();
      if (pickItems.length) { pickSel = (pickSel + (k === "ArrowDown" ? 1 : pickItems.length - 1)) % pickItems.length; renderPick(); }
    } else if (k === "Enter") { ev.preventDefault(); choosePick(); }
    else if (k === "Escape") { ev.preventDefault(); closePicker(); }
  });
  pickQ.addEventListener("blur", () => { if (!picker.hidden) setTimeout(() => { if (document.activeElement !== pickQ) closePicker(); }, 0); });
  $("#comment").addEventListener("keydown", (ev) => { if (ev.key === "Escape") { ev.preventDefault(); ev.target.blur(); } });

  function renderDiags() {
    diagEls = []; selDiag = -1;
    diags.forEach((_, i) => { diagEls[i] = diagRow(i); });
    diagsEl.replaceChildren(...diagEls);
  }
  function renderMeas(ms) {
    measEl.replaceChildren(...ms.map((m) => {
      const tr = document.createElement("tr");
      [m.text, m.kind === "other" && m.name ? m.name : m.kind, m.value ?? "—", m.unit || "", m.eye || "none"].forEach((v) => {
        tr.insertCell().textContent = v;
      });
      return tr;
    }));
  }

  // ---- notes and queue ----
  async function loadQueue() {
    const f = $("#filter").value;
    queue = await api("queue" + (f === "mine" ? "?assigned=1" : f ? "?status=" + f : ""));
    const q = $("#queue");
    q.replaceChildren(...queue.map((it) => new Option(`${it.assigned ? "QA · " : ""}${it.note_id} · ${it.status} · ${it.review}${it.reviewers ? " (" + it.reviewers + ")" : ""}`, it.note_id)));
    q.value = noteID;
  }
  async function open(id) {
    const v = await api("notes/" + encodeURIComponent(id));
    noteID = v.note_id; chars = Array.from(v.text);
    ents = v.entities.map((e) => ({ ...e })); diags = v.diagnoses.map((d) => ({ ...d })); sel = -1;
    orig = snapshot();
    renderText(); renderEnts(); renderDiags(); renderMeas(v.measurements);
    $("#comment").value = v.review ? v.review.comment || "" : "";
    $("#queue").value = noteID;
    status((v.assigned ? "QA sample · " : "") + (v.review ? `${v.review.status} by ${v.review.annotator}` : "pending"));
    history.replaceState(null, "", "#" + encodeURIComponent(noteID));
    if (ents.length) select(0);
    document.body.dataset.note = noteID;
  }
  async function submit(noteStatus) {
    if (busy || !noteID) return;
    busy = true;
    try {
      const st = noteStatus || (snapshot() === orig ? "accepted" : "corrected");
      await api("notes/" + encodeURIComponent(noteID) + "/corrections", { method: "POST",
        body: JSON.stringify({ entities: ents.map(plain), diagnoses: diags, comment: $("#comment").value, status: st }) });
      const done = noteID;
      await loadQueue();
      const at = queue.findIndex((q) => q.note_id === done);
      const next = queue.slice(at + 1).concat(queue.slice(0, at)).find((q) => q.status === "pending") || queue[(at + 1) % queue.length];
      document.body.dataset.submitted = done;
      if (next) await open(next.note_id);
    } catch (err) { status("error: " + err.message); }
    finally { busy = false; }
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    const k = ev.key;
    const act = {
      j: () => select(sel + 1), k: () => select(sel - 1),
      a: () => { if (sel >= 0) { ents[sel].accepted = true; entRow(sel); select(sel + 1); } },
      x: reject,
      "[": () => edit((e) => e.start--), "]": () => edit((e) => { if (e.start < e.end - 1) e.start++; }),
      "{": () => edit((e) => { if (e.end > e.start + 1) e.end--; }), "}": () => edit((e) => e.end++),
      n: addFromSelection, e: cycleEye, s: () => submit(),
      c: openPicker, d: nextDiag, t: cycleAssertion, m: () => $("#comment").focus(),
    }[k];
    if (act) { ev.preventDefault(); act(); return; }
    const d = "12345678".indexOf(k);
    if (d >= 0 && k.length === 1) { ev.preventDefault(); edit((e) => { e.label = LABELS[d]; }); }
  });
  $("#queue").addEventListener("change", (ev) => { ev.target.blur(); open(ev.target.value); });
  $("#filter").addEventListener("change", async (ev) => {
    ev.target.blur();
    await loadQueue();
    if (queue.length && !queue.some((q) => q.note_id === noteID)) await open(queue[0].note_id);
  });
  $("#submit").addEventListener("click", () => submit());
  $("#reject-note").addEventListener("click", () => submit("rejected"));

  (async () => {
    await loadQueue();
    const want = decodeURIComponent(location.hash.slice(1));
    const first = queue.find((q) => q.note_id === want) || queue.find((q) => q.status === "pending") || queue[0];
    if (first) await open(first.note_id);
  })().catch((err) => status("error: " + err.message));
})();
