// The playground page: shows one person's view and forwards their typing and clicks.
"use strict";

const CHROME = {
  da: {
    who: "Du er", channel: "Holdets kanal", private: "Privat med Kompetencebot", send: "Send",
    notice: "Legeplads til lokal afprøvning: ingen login, og alle kan vælge at være hvem som helst. Brug Slack eller Teams til rigtige runder.",
    compose_channel: "Skriv en kommando, fx start 3d, status, luk",
    compose_dm: "Skriv fx mine, hjælp", leader: "leder", only_you: "Kun synlig for dig",
  },
  en: {
    who: "You are", channel: "Team channel", private: "Private chat with Kompetencebot", send: "Send",
    notice: "A playground for trying things out locally: no login, and anyone can pick anyone. Use Slack or Teams for real rounds.",
    compose_channel: "Type a command, e.g. start 3d, status, close",
    compose_dm: "Type e.g. me, help", leader: "leader", only_you: "Only visible to you",
  },
};

let me = localStorage.getItem("kompetencebot.person") || "anna";
let language = "da";

function requestId() {
  return (crypto.randomUUID && crypto.randomUUID()) || String(Date.now() + Math.random());
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ as: me, request_id: requestId(), ...body }),
  });
  if (!response.ok) console.warn(path, response.status, await response.text());
  await refresh();
}

function chrome() {
  const words = CHROME[language] || CHROME.da;
  document.documentElement.lang = language;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = words[el.dataset.i18n]; });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.placeholder = words[el.dataset.i18nPlaceholder];
  });
  document.querySelectorAll("[data-lang]").forEach((el) => {
    el.setAttribute("aria-pressed", String(el.dataset.lang === language));
  });
}

function fill(container, messages) {
  const words = CHROME[language] || CHROME.da;
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  container.innerHTML = messages.map((m) =>
    `<article class="message${m.ephemeral ? " ephemeral" : ""}" data-message="${m.id}">` +
    (m.ephemeral ? `<div class="only-you">${words.only_you}</div>` : "") + m.html + "</article>"
  ).join("");
  if (atBottom) container.scrollTop = container.scrollHeight;
}

async function refresh() {
  const response = await fetch(`/api/state?as=${encodeURIComponent(me)}`);
  if (!response.ok) return;
  const state = await response.json();
  language = state.team.language;
  document.body.dataset.me = state.me;
  chrome();
  document.getElementById("team-name").textContent = state.team.name;
  const words = CHROME[language] || CHROME.da;
  const select = document.getElementById("person");
  select.innerHTML = state.members.map((m) =>
    `<option value="${m.id}"${m.id === me ? " selected" : ""}>${m.name}${m.leader ? ` (${words.leader})` : ""}</option>`
  ).join("");
  fill(document.getElementById("channel"), state.messages.channel);
  fill(document.getElementById("dm"), state.messages.dm);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const message = button.closest("[data-message]");
  const form = button.closest("form.form");
  const body = {
    message: Number(message.dataset.message),
    action: button.dataset.action,
    data: JSON.parse(button.dataset.payload || "{}"),
  };
  if (form) body.fields = Object.fromEntries(new FormData(form).entries());
  button.disabled = true;
  post("/api/action", body);
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

document.getElementById("person").addEventListener("change", (event) => {
  me = event.target.value;
  localStorage.setItem("kompetencebot.person", me);
  refresh();
});

document.querySelectorAll("[data-lang]").forEach((button) => {
  button.addEventListener("click", () => post("/api/language", { language: button.dataset.lang }));
});

const events = new EventSource("/api/events");
events.addEventListener("changed", () => refresh());
events.addEventListener("ready", () => refresh());
refresh();
