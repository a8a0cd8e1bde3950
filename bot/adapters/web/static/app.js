// The playground page: shows one person's view and forwards their typing and clicks.
"use strict";

const CHROME = {
  da: {
    who: "Du er", channel: "Holdets kanal", private: "Privat med Kompetencebot", send: "Send",
    notice: "Legeplads til lokal afprøvning: ingen login, og alle kan vælge at være hvem som helst. Brug Slack eller Teams til rigtige runder.",
    compose_channel: "Skriv en kommando, fx start 3d, status, luk",
    compose_dm: "Skriv fx mine, hjælp", leader: "leder", only_you: "Kun synlig for dig",
    tabs: "Samtaler", tab_channel: "# Kanal", tab_dm: "Privat", unread: "ny",
    compose_channel_label: "Kommando i kanalen", compose_dm_label: "Besked til Kompetencebot",
  },
  en: {
    who: "You are", channel: "Team channel", private: "Private chat with Kompetencebot", send: "Send",
    notice: "A playground for trying things out locally: no login, and anyone can pick anyone. Use Slack or Teams for real rounds.",
    compose_channel: "Type a command, e.g. start 3d, status, close",
    compose_dm: "Type e.g. me, help", leader: "leader", only_you: "Only visible to you",
    tabs: "Conversations", tab_channel: "# Channel", tab_dm: "Private", unread: "new",
    compose_channel_label: "Command in the channel", compose_dm_label: "Message to Kompetencebot",
  },
};

const main = document.querySelector("main");
const panes = { channel: document.getElementById("channel"), dm: document.getElementById("dm") };

let me = localStorage.getItem("kompetencebot.person") || "anna";
let language = "da";
// Only the newest refresh may paint: a slower answer to an older one (perhaps for the person
// shown before a switch) would otherwise overwrite the view under the new person's name.
let generation = 0;
const inFlight = new Set();
// The first view of a newly chosen person decides which pane a phone shows.
let choosePane = true;
// Where a keyboard user pressed a button: its message and its place among the message's
// buttons. When the answer replaces that message, the button in the same place takes the
// focus, so the keyboard stays on the prompt instead of falling back to the page's top.
let pressed = null;

function requestId() {
  return (crypto.randomUUID && crypto.randomUUID()) || String(Date.now() + Math.random());
}

function words() {
  return CHROME[language] || CHROME.da;
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ as: me, request_id: requestId(), ...body }),
  });
  const problem = document.getElementById("problem");
  if (response.ok && !problem.hidden) problem.hidden = true;
  if (!response.ok) {
    // The bot's own words when it has some (nothing was saved); else only for developers.
    const said = await response.json().catch(() => ({}));
    if (said.error) {
      problem.textContent = said.error;
      problem.hidden = false;
    } else {
      console.warn(path, response.status);
    }
  }
  await refresh();
}

function chrome() {
  const text = words();
  document.documentElement.lang = language;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = text[el.dataset.i18n]; });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.placeholder = text[el.dataset.i18nPlaceholder];
  });
  document.querySelectorAll("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", text[el.dataset.i18nLabel]);
  });
  document.querySelectorAll("[data-lang]").forEach((el) => {
    el.setAttribute("aria-pressed", String(el.dataset.lang === language));
  });
}

// Where a list must stand for a message to be in view: its top at the list's top, or the
// bottom if that comes first. A score prompt always sits at the bottom: its buttons stay
// where the finger that answered the previous one is, and its head is pinned (style.css).
function position(list, node) {
  const bottom = list.scrollHeight - list.clientHeight;
  if (!node || node.querySelector(".prompt")) return bottom;
  const room = Math.max(0, list.clientHeight - node.offsetHeight);
  const top = node.offsetTop - Math.min(room, parseFloat(getComputedStyle(list).paddingTop));
  return Math.max(0, Math.min(bottom, top));
}

// The newest message into view, and kept there while images above it load.
function reveal(list) {
  list.dataset.follow = "1";
  if (list.clientHeight) list.scrollTop = position(list, list.lastElementChild);
}

function article(message) {
  const node = document.createElement("article");
  node.className = `message${message.ephemeral ? " ephemeral" : ""}`;
  node.dataset.message = message.id;
  node.innerHTML = (message.ephemeral ? `<div class="only-you">${words().only_you}</div>` : "") + message.html;
  node.rendered = `${language}|${message.ephemeral}|${message.html}`;
  return node;
}

// Patches the list in place: unchanged messages keep their elements, so a loaded chart is
// not fetched and laid out again on every refresh. Returns the ids of the messages that are
// new or changed.
function fill(list, messages) {
  const existing = new Map([...list.children].map((el) => [el.dataset.message, el]));
  const changed = new Set();
  messages.forEach((message, index) => {
    let node = existing.get(String(message.id));
    if (!node || node.rendered !== `${language}|${message.ephemeral}|${message.html}`) {
      const fresh = article(message);
      if (node) node.replaceWith(fresh);
      node = fresh;
      changed.add(node.dataset.message);
      if (pressed && pressed.message === node.dataset.message) refocus(node);
    }
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
  });
  while (list.children.length > messages.length) list.lastElementChild.remove();
  return changed;
}

function refocus(node) {
  const buttons = node.querySelectorAll("button[data-action]");
  const target = buttons[Math.min(pressed.index, buttons.length - 1)] || node;
  pressed = null;
  if (target === node) node.tabIndex = -1;
  target.focus({ preventScroll: true });
}

function show(pane) {
  main.dataset.active = pane;
  document.querySelectorAll("[role=tab]").forEach((tab) => {
    const selected = tab.dataset.pane === pane;
    tab.setAttribute("aria-selected", String(selected));
    if (selected) tab.querySelector(".unread").hidden = true;
  });
  if (panes[pane].dataset.follow === "1") reveal(panes[pane]);
}

function members(state) {
  const select = document.getElementById("person");
  const key = JSON.stringify([language, state.members]);
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  select.replaceChildren(...state.members.map((m) => {
    const label = `${m.name}${m.leader ? ` (${words().leader})` : ""}`;
    return new Option(label, m.id, false, m.id === me);
  }));
  select.value = me;
}

function paint(state) {
  language = state.team.language;
  document.body.dataset.me = state.me;
  chrome();
  document.getElementById("team-name").textContent = state.team.name;
  members(state);
  for (const [pane, list] of Object.entries(panes)) {
    const changed = fill(list, state.messages[pane]);
    const newest = list.lastElementChild;
    if (newest && changed.has(newest.dataset.message)) {
      reveal(list);
      if (!list.clientHeight && !choosePane) {
        document.querySelector(`[role=tab][data-pane=${pane}] .unread`).hidden = false;
      }
    }
  }
  if (choosePane) {
    choosePane = false;
    const last = panes.dm.lastElementChild;
    // Something to answer (a prompt, or a primary button: begin, continue) opens the chat.
    show(last && last.querySelector(".prompt, .btn-primary") ? "dm" : "channel");
  }
}

async function refresh() {
  const mine = ++generation;
  const controller = new AbortController();
  inFlight.add(controller);
  let state;
  try {
    const response = await fetch(`/api/state?as=${encodeURIComponent(me)}`, { signal: controller.signal });
    if (!response.ok) return;
    state = await response.json();
  } catch (error) {
    if (error.name === "AbortError") return;
    throw error;
  } finally {
    inFlight.delete(controller);
  }
  if (mine !== generation) return;
  paint(state);
}

function choose(person) {
  me = person;
  localStorage.setItem("kompetencebot.person", me);
  inFlight.forEach((controller) => controller.abort());
  // Nothing of the previous person's view stays clickable while the new one loads.
  delete document.body.dataset.me;
  Object.values(panes).forEach((list) => list.replaceChildren());
  document.querySelectorAll(".unread").forEach((badge) => { badge.hidden = true; });
  choosePane = true;
  refresh();
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button || document.body.dataset.me !== me) return;
  const message = button.closest("[data-message]");
  const form = button.closest("form.form");
  const body = {
    message: Number(message.dataset.message),
    action: button.dataset.action,
    data: JSON.parse(button.dataset.payload || "{}"),
  };
  if (form) body.fields = Object.fromEntries(new FormData(form).entries());
  // A click with no pointer (detail 0) came from the keyboard: Enter or Space.
  const buttons = [...message.querySelectorAll("button[data-action]")];
  pressed = event.detail === 0 ? { message: message.dataset.message, index: buttons.indexOf(button) } : null;
  button.disabled = true;
  post("/api/action", body).finally(() => { button.disabled = false; });
});

document.querySelectorAll("form.compose").forEach((form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = form.elements.text;
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    post("/api/command", { where: form.dataset.where, text });
  });
});

Object.values(panes).forEach((list) => {
  // A chart that finishes loading pushes the newest message down; bring it back, unless the
  // reader has scrolled away from it.
  list.addEventListener("load", () => { if (list.dataset.follow === "1") reveal(list); }, true);
  list.addEventListener("scroll", () => {
    const near = Math.abs(list.scrollTop - position(list, list.lastElementChild)) < 4;
    list.dataset.follow = near ? "1" : "0";
  });
});

document.querySelectorAll("[role=tab]").forEach((tab) => {
  tab.addEventListener("click", () => show(tab.dataset.pane));
});

document.getElementById("person").addEventListener("change", (event) => choose(event.target.value));

document.querySelectorAll("[data-lang]").forEach((button) => {
  button.addEventListener("click", () => post("/api/language", { language: button.dataset.lang }));
});

const events = new EventSource("/api/events");
events.addEventListener("changed", () => refresh());
events.addEventListener("ready", () => refresh());
refresh();
