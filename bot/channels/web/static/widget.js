/* Harm-reduction chat widget. Embed: <script src="https://HOST/widget.js" defer></script>
   Options (data- attributes on that tag): data-lang="en|es", data-title, data-accent="#0b5394",
   data-position="right|left", data-mode="launcher|page", data-target (element id for page mode).
   All text is rendered with textContent; only https links to CDC/SAMHSA hosts and tel: numbers become links. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.__hrbotWidget) return;
  window.__hrbotWidget = true;
  var API = new URL(script.src, location.href).origin;
  var ds = script.dataset;
  var PAGE = ds.mode === "page";
  var ALLOWED = ["cdc.gov", "samhsa.gov", "findtreatment.gov", "988lifeline.org"];
  var PHONE = /(\b1-\d{3}-\d{3}-\d{4}\b|\b911\b|\b988\b)/;
  // Every label in English and in Spanish, side by side, so a translation cannot go missing.
  var WORDS = {
    launcher: ["Chat", "Chat"], launcherMore: [" about drug safety", " sobre drogas y salud"],
    title: ["Ask about drug safety", "Pregunte sobre drogas y salud"], close: ["Close chat", "Cerrar chat"],
    intro: ["Answers come only from CDC and SAMHSA pages. Not an emergency service: if someone may be overdosing, call 911.",
      "Las respuestas vienen solo de páginas de los CDC y SAMHSA. No es un servicio de emergencia: si alguien puede tener una sobredosis, llame al 911."],
    label: ["Your question", "Su pregunta"], placeholder: ["Type a question", "Escriba una pregunta"], send: ["Send", "Enviar"],
    log: ["Conversation", "Conversación"], you: ["You: ", "Usted: "], bot: ["Answer: ", "Respuesta: "],
    sources: ["Sources", "Fuentes"],
    helpful: ["Was this helpful?", "¿Le fue útil?"], yes: ["Yes", "Sí"], no: ["No", "No"],
    thanks: ["Thanks for the feedback.", "Gracias por su opinión."],
    call911: ["Call 911 now", "Llame al 911 ahora"], call988: ["Call or text 988", "Llame o envíe un texto al 988"],
    thinking: ["Looking for an answer...", "Buscando una respuesta..."],
    calls: ["Emergency numbers", "Números de emergencia"], bar911: ["Overdose: call 911", "Sobredosis: llame al 911"],
    bar988: ["Crisis: 988", "Crisis: 988"],
    offline: ["You are offline. Answers saved on this phone still work. In an emergency, call 911.",
      "No hay conexión. Las respuestas guardadas en este teléfono siguen funcionando. En una emergencia, llame al 911."],
    offlineSaved: ["You are offline: this answer was saved on this phone earlier.",
      "No hay conexión: esta respuesta se guardó antes en este teléfono."],
    offlineNone: ["You are offline, and no saved answer matches this question. If someone may be overdosing:",
      "No hay conexión y ninguna respuesta guardada coincide con esta pregunta. Si alguien puede tener una sobredosis:"],
    other: ["Español", "English"], otherLang: ["es", "en"],
    tooLong: ["Please ask a shorter question (up to 1,000 characters).", "Haga una pregunta más corta (hasta 1,000 caracteres)."],
    fallback: ["Sorry, something went wrong. If someone may be overdosing, call 911 and give naloxone (Narcan). For a suicide or mental health crisis, call or text 988. For treatment and support, call SAMHSA's National Helpline: 1-800-662-4357.",
      "Lo sentimos, algo falló. Si alguien puede tener una sobredosis, llame al 911 y dele naloxona (Narcan). Para una crisis de suicidio o salud mental, llame o envíe un texto al 988. Para tratamiento y apoyo, llame a la Línea de Ayuda de SAMHSA: 1-800-662-4357."],
    quick: [
      [["Signs of an overdose", "What are the signs of an opioid overdose?"],
        ["How to use naloxone", "How do I use naloxone nasal spray?"],
        ["Rescue breathing", "How do I give rescue breaths?"],
        ["Recovery position", "What is the recovery position?"],
        ["Fentanyl test strips", "How do I use fentanyl test strips?"],
        ["Find treatment", "How can I find treatment near me?"]],
      [["Señales de sobredosis", "¿Cuáles son las señales de una sobredosis de opioides?"],
        ["Cómo usar la naloxona", "¿Cómo uso la naloxona en atomizador nasal?"],
        ["Respiración de rescate", "¿Cómo doy respiración de rescate?"],
        ["Posición de recuperación", "¿Qué es la posición de recuperación?"],
        ["Tiras reactivas de fentanilo", "¿Cómo uso las tiras reactivas de fentanilo?"],
        ["Buscar tratamiento", "¿Cómo encuentro tratamiento cerca de mí?"]]
    ]
  };
  function words(i) {
    var out = {};
    Object.keys(WORDS).forEach(function (k) { out[k] = WORDS[k][i]; });
    return out;
  }
  var T = { en: words(0), es: words(1) };
  var lang = ds.lang === "es" ? "es" : "en";
  // Without data-lang the server detects the language of each question; a chosen language is sent with it.
  var askLang = ds.lang === "es" || ds.lang === "en" ? lang : null;
  var accent = /^#[0-9a-f]{6}$/i.test(ds.accent || "") ? ds.accent : "#0b5394";
  var session = Math.random().toString(36).slice(2) + Date.now().toString(36);

  function lum(hex) {
    var c = [1, 3, 5].map(function (i) {
      var v = parseInt(hex.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  // Any accent colour keeps WCAG AA contrast: text on it is white or near-black, and it is only used as text
  // colour on white when it reaches 4.5:1.
  var onAccent = contrast(accent, "#ffffff") >= 4.5 ? "#ffffff" : "#1a1a1a";
  var accentText = contrast(accent, "#ffffff") >= 4.5 ? accent : "#1a1a1a";

  var CSS = [
    ":host{all:initial;font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a}",
    "*{box-sizing:border-box}",
    "button,input{font:inherit}",
    ":focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #ffffff}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".launcher{position:fixed;bottom:16px;right:16px;z-index:2147483000;display:flex;align-items:center;gap:8px;",
    "min-height:48px;padding:10px 18px;border:0;border-radius:24px;background:var(--accent);color:var(--on-accent);",
    "font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}",
    ".left .launcher{right:auto;left:16px}",
    ".launcher svg{width:22px;height:22px;fill:currentColor}",
    ".panel{position:fixed;bottom:76px;right:16px;z-index:2147483001;width:380px;max-width:calc(100vw - 32px);",
    "height:600px;max-height:calc(100vh - 100px);display:flex;flex-direction:column;background:#fff;",
    "border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);overflow:hidden}",
    ".left .panel{right:auto;left:16px}",
    ".panel[hidden]{display:none}",
    "@media (max-width:480px){.panel{top:0;left:0;right:0;bottom:0;width:100%;max-width:100%;height:100%;",
    "max-height:100%;border-radius:0}.left .panel{left:0}}",
    ".page .panel{position:static;width:100%;max-width:100%;height:auto;min-height:70vh;max-height:none;",
    "box-shadow:none;border-radius:0}",
    "header{display:flex;align-items:center;gap:8px;padding:6px 6px 6px 14px;background:var(--accent);color:var(--on-accent)}",
    "h2{flex:1;margin:0;font-size:18px;line-height:1.3}",
    ".close{min-width:44px;min-height:44px;border:0;border-radius:8px;background:transparent;color:inherit;",
    "font-size:26px;line-height:1;cursor:pointer}",
    ".note{margin:0;padding:8px 14px;font-size:14px;background:#fff8e1;border-bottom:1px solid #ccc}",
    ".quick{display:flex;flex-wrap:wrap;gap:6px;padding:8px 14px 0}",
    ".quick button,.fb button{min-height:44px;padding:6px 12px;border:2px solid var(--accent-text);border-radius:22px;",
    "background:#fff;color:var(--accent-text);cursor:pointer}",
    ".log{flex:1;min-height:120px;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:10px}",
    ".msg{max-width:92%;padding:10px 12px;border-radius:12px;overflow-wrap:anywhere}",
    ".msg p{margin:0}",
    ".msg p+p{margin-top:6px}",
    ".answer-list{margin:4px 0 0;padding-left:20px}",
    ".answer-list li{margin:3px 0}",
    ".user{align-self:flex-end;background:var(--accent);color:var(--on-accent)}",
    ".bot{align-self:flex-start;background:#f1f3f5;color:#1a1a1a}",
    ".bot a{color:#0a4a85}",
    "a[href^='tel:']{white-space:nowrap}",
    ".page .panel{overflow:visible}",
    ".page form{position:sticky;bottom:0}",
    ".calls{display:flex;gap:6px;padding:6px 14px;border-bottom:1px solid #ccc;background:#fff}",
    ".calls a{flex:1;display:flex;align-items:center;justify-content:center;min-height:44px;border-radius:8px;",
    "font-weight:700;text-decoration:none;text-align:center}",
    ".calls .c911{background:#b00020;color:#fff}",
    ".calls .c988{border:2px solid #0a4a85;color:#0a4a85;background:#fff}",
    ".offline{margin:0;padding:8px 14px;background:#1a1a1a;color:#fff;font-weight:600}",
    ".offline[hidden]{display:none}",
    ".call{display:block;margin:0 0 8px;padding:12px;border-radius:8px;background:#b00020;color:#fff !important;",
    "font-weight:700;font-size:18px;text-align:center;text-decoration:none}",
    ".note{margin:0 0 8px;padding:8px 10px;border-left:4px solid #b00020;background:#fff;font-weight:600}",
    ".sources{margin:8px 0 0;padding:0;list-style:none;font-size:14px}",
    ".sources li{margin:4px 0}",
    ".fb{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:8px;font-size:14px}",
    ".busy{font-style:italic;color:#444}",
    "form{display:flex;flex-wrap:wrap;gap:8px;padding:8px 14px 12px;border-top:1px solid #ccc;background:#fff}",
    "label{flex-basis:100%;font-size:14px;font-weight:600}",
    "input{flex:1;min-width:0;min-height:44px;padding:8px 10px;border:1px solid #555;border-radius:8px;",
    "background:#fff;color:#1a1a1a;font-size:16px}",
    ".send{min-height:44px;padding:0 16px;border:0;border-radius:8px;background:var(--accent);color:var(--on-accent);",
    "font-weight:600;cursor:pointer}"
  ].join("");

  function el(tag, props, kids) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === "text") node.textContent = props[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), props[k]);
      else node.setAttribute(k, props[k]);
    });
    (kids || []).forEach(function (kid) { if (kid) node.appendChild(kid); });
    return node;
  }

  function safeUrl(raw) {
    try {
      var u = new URL(raw);
      var host = u.hostname.toLowerCase();
      var ok = u.protocol === "https:" && ALLOWED.some(function (d) { return host === d || host.slice(-d.length - 1) === "." + d; });
      return ok ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  // Text with phone numbers as tel: links; everything else stays plain text.
  function withPhones(text) {
    var frag = document.createDocumentFragment();
    String(text).split(PHONE).forEach(function (part, i) {
      if (!part) return;
      if (i % 2) frag.appendChild(el("a", { href: "tel:" + part.replace(/-/g, ""), text: part }));
      else frag.appendChild(document.createTextNode(part));
    });
    return frag;
  }

  var host = el("div", { id: "hrbot-widget" });
  var root = host.attachShadow({ mode: "open" });
  host.style.setProperty("--accent", accent);
  host.style.setProperty("--on-accent", onAccent);
  host.style.setProperty("--accent-text", accentText);
  if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function" && CSSStyleSheet.prototype.replaceSync) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(el("style", { text: CSS }));
  }
  var wrap = el("div", { class: (PAGE ? "page" : "") + (ds.position === "left" ? " left" : "") });
  root.appendChild(wrap);

  var ui = {};
  ui.launcherText = el("span", {});
  ui.launcherMore = el("span", { class: "sr" });
  var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z");
  svg.appendChild(path);
  ui.launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "hr-panel",
    onclick: function () { setOpen(ui.panel.hidden); } }, [svg, ui.launcherText, ui.launcherMore]);
  ui.title = el("h2", { id: "hr-title" });
  ui.close = el("button", { type: "button", class: "close", onclick: function () { setOpen(false); } });
  ui.close.textContent = "\u00d7";
  ui.note = el("p", { class: "note" });
  // Always a way to call: outside the scrolling log, so it stays in view (the outreach page has its own bar).
  ui.call911 = el("a", { class: "c911", href: "tel:911" });
  ui.call988 = el("a", { class: "c988", href: "tel:988" });
  ui.calls = el("nav", { class: "calls" }, [ui.call911, ui.call988]);
  ui.offline = el("p", { class: "offline", role: "status" });
  ui.offline.hidden = true;
  ui.quick = el("div", { class: "quick" });
  ui.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  ui.label = el("label", { for: "hr-q" });
  ui.input = el("input", { id: "hr-q", type: "text", maxlength: "1000", autocomplete: "off", enterkeyhint: "send" });
  ui.send = el("button", { type: "submit", class: "send" });
  ui.form = el("form", { onsubmit: function (e) { e.preventDefault(); submit(); } }, [ui.label, ui.input, ui.send]);
  ui.panel = el("div", { id: "hr-panel", class: "panel", role: PAGE ? "region" : "dialog", "aria-labelledby": "hr-title" },
    [el("header", {}, [ui.title, PAGE ? null : ui.close]), PAGE ? null : ui.calls, ui.offline, PAGE ? ui.quick : ui.note,
      ui.log, ui.form]);
  if (!PAGE) {
    ui.panel.hidden = true;
    wrap.appendChild(ui.launcher);
  }
  wrap.appendChild(ui.panel);
  wrap.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !PAGE && !ui.panel.hidden) { e.preventDefault(); setOpen(false); }
  });

  function applyLang() {
    var t = T[lang];
    ui.launcherText.textContent = t.launcher;
    ui.launcherMore.textContent = t.launcherMore;
    ui.title.textContent = ds.title || t.title;
    ui.close.setAttribute("aria-label", t.close);
    ui.note.textContent = "";
    ui.note.appendChild(withPhones(t.intro));
    ui.log.setAttribute("aria-label", t.log);
    ui.label.textContent = t.label;
    ui.input.setAttribute("placeholder", t.placeholder);
    ui.send.textContent = t.send;
    ui.calls.setAttribute("aria-label", t.calls);
    ui.call911.textContent = t.bar911;
    ui.call988.textContent = t.bar988;
    ui.offline.textContent = t.offline;
    ui.quick.textContent = "";
    t.quick.forEach(function (q) {
      ui.quick.appendChild(el("button", { type: "button", text: q[0], onclick: function () { ask(q[1]); } }));
    });
    ui.quick.appendChild(el("button", { type: "button", lang: t.otherLang, text: t.other, onclick: function () {
      lang = askLang = t.otherLang;
      applyLang();
    } }));
  }

  function setOpen(open) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    (open ? ui.input : ui.launcher).focus();
  }

  function bubble(cls, who) {
    var node = el("div", { class: "msg " + cls }, [el("span", { class: "sr", text: who })]);
    ui.log.appendChild(node);
    return node;
  }

  function showReply(data) {
    var t = T[data.language === "es" ? "es" : lang];
    var node = bubble("bot", t.bot);
    if (data.kind === "emergency") node.appendChild(el("a", { class: "call", href: "tel:911", text: t.call911 }));
    if (data.kind === "crisis") node.appendChild(el("a", { class: "call", href: "tel:988", text: t.call988 }));
    // The classifier's safety note, when it was unsure: shown first, as text, with its number callable.
    if (typeof data.safety_note === "string" && data.safety_note) {
      node.appendChild(el("p", { class: "note", role: "note" }, [withPhones(data.safety_note)]));
    }
    answerBlocks(data.answer).forEach(function (block) { node.appendChild(block); });
    var cites = (data.citations || []).map(function (c) {
      var href = safeUrl(c.url);
      var label = "[" + c.id + "] " + c.title + " (" + c.publisher + ")";
      return el("li", {}, [href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label })
        : document.createTextNode(label)]);
    });
    if (cites.length) {
      node.appendChild(el("span", { class: "sr", text: t.sources }));
      node.appendChild(el("ol", { class: "sources" }, cites));
    }
    if (data.kind !== "fallback" && !data.offline) node.appendChild(feedback(t, data));
    return node;
  }

  // An answer's lines: "- item" lines become a list, other lines paragraphs; all of it text, never markup.
  function answerBlocks(text) {
    var blocks = [];
    var list = null;
    String(text).split("\n").forEach(function (line) {
      var item = /^\s*-\s+(.*)$/.exec(line);
      if (item) {
        if (!list) { list = el("ul", { class: "answer-list" }); blocks.push(list); }
        list.appendChild(el("li", {}, [withPhones(item[1])]));
      } else if (line.trim()) {
        list = null;
        blocks.push(el("p", {}, [withPhones(line)]));
      }
    });
    return blocks;
  }

  function feedback(t, data) {
    var box = el("div", { class: "fb" }, [el("span", { text: t.helpful })]);
    function vote(helpful) {
      box.textContent = t.thanks;
      fetch(API + "/v1/feedback", { method: "POST", mode: "cors", credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ helpful: helpful, kind: data.kind, language: data.language }) }).catch(function () {});
    }
    box.appendChild(el("button", { type: "button", text: t.yes, onclick: function () { vote(true); } }));
    box.appendChild(el("button", { type: "button", text: t.no, onclick: function () { vote(false); } }));
    return box;
  }

  function scroll() { ui.log.scrollTop = ui.log.scrollHeight; }

  var pending = false;
  function submit() {
    var q = ui.input.value.trim();
    if (!q || pending) return;
    ui.input.value = "";
    ask(q);
  }

  function ask(q) {
    if (pending) return;
    if (saved && navigator.onLine === false) {
      bubble("user", T[lang].you).appendChild(el("p", { text: q }));
      showReply(savedReply(q));
      scroll();
      return;
    }
    pending = true;
    var t = T[lang];
    var mine = bubble("user", t.you);
    mine.appendChild(el("p", { text: q }));
    var wait = el("p", { class: "busy", "aria-hidden": "true", text: t.thinking });
    ui.log.setAttribute("aria-busy", "true");
    ui.log.appendChild(wait);
    scroll();
    var ctl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, 20000);
    fetch(API + "/v1/ask", { method: "POST", mode: "cors", credentials: "omit", signal: ctl ? ctl.signal : undefined,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: q, language: askLang, channel: "web", session_id: session }) })
      .then(function (r) {
        if (r.status === 422) return { kind: "fallback", answer: t.tooLong, citations: [], language: lang };
        // While the service starts, its 503 carries the 911, 988 and helpline text: show that.
        if (r.status === 503) {
          return r.json().then(function (body) {
            if (body && typeof body.detail === "string" && body.detail.indexOf("911") >= 0) {
              return { kind: "fallback", answer: body.detail, citations: [], language: lang };
            }
            throw new Error("status 503");
          });
        }
        if (!r.ok) throw new Error("status " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (!data || typeof data.answer !== "string") throw new Error("bad reply");
        return data;
      })
      .catch(function () {
        // No network (or no service): answer from what this page saved, if it saved anything.
        return saved ? savedReply(q) : { kind: "fallback", answer: t.fallback, citations: [], language: lang };
      })
      .then(function (data) {
        clearTimeout(timer);
        wait.remove();
        ui.log.removeAttribute("aria-busy");
        pending = false;
        showReply(data);
        // Show the question and the start of its answer, not the end of a long answer. In the panel only the log
        // scrolls: scrollIntoView would also scroll the panel and push its header and call row out of view.
        if (PAGE) mine.scrollIntoView({ block: "start" });
        else ui.log.scrollTop = mine.offsetTop - ui.log.offsetTop;
      });
  }

  // Offline: the outreach page keeps /offline.json (the emergency and crisis replies, the quick-topic answers
  // and every answer card, with citations) and a service worker keeps the page, so both open with no network.
  var saved = null;
  var STOP = /^(a|an|the|i|im|my|me|to|do|does|is|are|of|in|on|for|it|and|or|if|what|how|can|you|u|el|la|los|las|de|del|que|como|se|un|una|mi|me|es|y|o|en|por|para|lo|le)$/;
  var EMERGENCY = /(not breathing|isnt breathing|stopped breathing|cant breathe|wont wake|cant wake|unresponsive|blue lips|lips are blue|overdosing|no respira|dejo de respirar|no despierta|labios azules|sobredosis ahora)/;
  var CRISIS = /(kill myself|suicid|end my life|want to die|wanna die|matarme|quiero morir|quitarme la vida)/;
  function fold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/['\u2019]/g, "")
      .replace(/[^a-z0-9\s]/g, " ").replace(/\s+/g, " ").trim();
  }
  function wordSet(text) {
    var out = {};
    fold(text).split(" ").forEach(function (w) {
      if (w && !STOP.test(w)) out[w.length > 3 ? w.replace(/s$/, "") : w] = true;
    });
    return out;
  }
  function overlap(a, b) {
    var shared = 0, na = 0, nb = Object.keys(b).length;
    Object.keys(a).forEach(function (w) { na++; if (b[w]) shared++; });
    return { shared: shared, dice: na + nb ? 2 * shared / (na + nb) : 0 };
  }
  function offlineCopy(reply, note) {
    var copy = {};
    Object.keys(reply).forEach(function (k) { copy[k] = reply[k]; });
    copy.offline = true;
    copy.safety_note = note;
    return copy;
  }
  // A question typed offline: a quick topic, else the emergency or crisis reply when it reads as one, else the
  // closest saved card when it clearly matches, else the emergency steps with a plain "offline" line.
  function savedReply(q) {
    var t = T[lang], pack = saved.languages[lang] || saved.languages.en, text = fold(q), best = null;
    for (var i = 0; i < pack.quick.length; i++) {
      if (fold(pack.quick[i].question) === text) return offlineCopy(pack.quick[i].reply, t.offlineSaved);
    }
    if (EMERGENCY.test(text)) return offlineCopy(pack.emergency, t.offlineSaved);
    if (CRISIS.test(text)) return offlineCopy(pack.crisis, t.offlineSaved);
    var mine = wordSet(q);
    Object.keys(saved.languages).forEach(function (code) {
      saved.languages[code].cards.forEach(function (card) {
        card.words.forEach(function (theirs) {
          var m = overlap(mine, theirs);
          if (m.shared >= 2 && m.dice >= 0.6 && (!best || m.dice > best.dice)) best = { dice: m.dice, reply: card.reply };
        });
      });
    });
    if (best) return offlineCopy(best.reply, t.offlineSaved);
    return offlineCopy(pack.emergency, t.offlineNone);
  }
  function showOffline(on) {
    ui.offline.hidden = !on;
  }
  if (PAGE && location.origin === API) {
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () {});
    fetch(API + "/offline.json", { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (bundle) {
        if (!bundle || !bundle.languages) return;
        // Each card's asks are cut into words once, not again for every question typed offline.
        Object.keys(bundle.languages).forEach(function (code) {
          bundle.languages[code].cards.forEach(function (card) { card.words = card.asks.concat([card.title]).map(wordSet); });
        });
        saved = bundle;
        if (navigator.onLine === false) {
          showOffline(true);
          showReply(offlineCopy((saved.languages[lang] || saved.languages.en).emergency, T[lang].offline))
            .scrollIntoView({ block: "start" });
        }
      })
      .catch(function () {});
    window.addEventListener("offline", function () { showOffline(true); });
    window.addEventListener("online", function () { showOffline(false); });
  }

  applyLang();
  var target = PAGE && document.getElementById(ds.target || "hrbot-page");
  (target || document.body).appendChild(host);
})();
