// The moderator's console: the queue of questions with their suggested answers.
// Enter approves the selected one, E edits it, R (or Delete) rejects it, arrows move the selection.
// Every text from the server is shown with textContent, never parsed as HTML.
"use strict";
(function () {
  const queue = document.getElementById("queue");
  const spoken = document.getElementById("spoken");
  const empty = document.getElementById("empty");
  const status = document.getElementById("status");
  const counts = document.getElementById("counts");
  const by = document.getElementById("by");
  const token = new URLSearchParams(location.search).get("token") || "";
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  let socket = null;
  let items = [];
  let selected = null; // the id of the selected question
  let editing = null; // the id being edited
  const drafts = {}; // edited words by id, kept when the claims checker refuses them

  function span(cls, text) {
    const node = document.createElement("span");
    node.className = cls;
    node.textContent = text;
    return node;
  }

  function button(label, action) {
    const node = document.createElement("button");
    node.type = "button";
    node.textContent = label;
    node.addEventListener("click", action);
    return node;
  }

  by.value = localStorage.getItem("studio-moderator") || "";
  by.addEventListener("change", function () { localStorage.setItem("studio-moderator", by.value); });

  function send(message) {
    if (by.value.trim()) message.by = by.value.trim();
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function render() {
    if (!items.some(function (i) { return i.id === selected; })) selected = items.length ? items[0].id : null;
    queue.replaceChildren();
    items.forEach(function (item) {
      const row = document.createElement("li");
      row.dataset.id = item.id;
      if (item.id === selected) row.className = "selected";
      const question = span("question", "");
      question.append(span("who", item.user + ":"), document.createTextNode(item.question));
      if (item.count > 1) question.append(span("meta", "asked " + item.count + " times"));
      row.append(question);
      if (item.id === editing) {
        const area = document.createElement("textarea");
        area.className = "edit";
        area.value = drafts[item.id] || item.suggested;
        area.maxLength = 500;
        area.addEventListener("keydown", function (event) {
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            drafts[item.id] = area.value;
            send({ type: "edit", id: item.id, text: area.value });
            editing = null;
          } else if (event.key === "Escape") {
            editing = null;
            render();
          }
          event.stopPropagation();
        });
        row.append(area);
        setTimeout(function () { area.focus(); }, 0);
      } else {
        const answer = span("answer", item.suggested);
        answer.append(span("meta", item.kind + (item.sources.length ? " · " + item.sources.join(", ") : "")));
        row.append(answer);
      }
      const actions = document.createElement("div");
      actions.className = "actions";
      actions.append(
        button("Approve", function () { send({ type: "approve", id: item.id }); }),
        button("Edit", function () { editing = item.id; selected = item.id; render(); }),
        button("Reject", function () { send({ type: "reject", id: item.id }); })
      );
      row.append(actions);
      row.addEventListener("click", function () { if (selected !== item.id) { selected = item.id; render(); } });
      queue.append(row);
    });
    empty.hidden = items.length > 0;
  }

  function move(step) {
    const at = items.findIndex(function (i) { return i.id === selected; });
    const next = Math.min(items.length - 1, Math.max(0, at + step));
    if (items[next]) { selected = items[next].id; render(); }
  }

  document.addEventListener("keydown", function (event) {
    if (editing || event.target.tagName === "INPUT" || event.target.tagName === "TEXTAREA") return;
    if (!selected) return;
    if (event.key === "Enter") { event.preventDefault(); send({ type: "approve", id: selected }); }
    else if (event.key === "e" || event.key === "E") { event.preventDefault(); editing = selected; render(); }
    else if (event.key === "r" || event.key === "R" || event.key === "Delete") { send({ type: "reject", id: selected }); }
    else if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
  });

  function connect() {
    socket = new WebSocket(scheme + location.host + "/ws/moderator?token=" + encodeURIComponent(token));
    socket.onopen = function () { status.textContent = ""; };
    socket.onclose = function () {
      document.body.dataset.ready = "";
      status.textContent = "Disconnected; trying again…";
      setTimeout(connect, 2000);
    };
    socket.onmessage = function (event) {
      const message = JSON.parse(event.data);
      if (message.type === "queue") {
        items = message.items;
        if (editing && !items.some(function (i) { return i.id === editing; })) editing = null;
        counts.textContent = "Waiting to be spoken: " + message.waiting_to_be_spoken +
          (message.auto.length ? " · auto: " + message.auto.join(", ") : "") +
          (message.dropped ? " · dropped unanswered: " + message.dropped : "") +
          (message.repeats ? " · repeats folded: " + message.repeats : "");
        if (!editing) render();
        document.body.dataset.ready = "1";
      } else if (message.type === "spoken") {
        const row = document.createElement("li");
        const question = span("question", "");
        question.append(span("who", message.user + ":"), document.createTextNode(message.question));
        row.append(question, span("answer", message.text));
        spoken.prepend(row);
        while (spoken.children.length > 50) spoken.lastElementChild.remove();
      } else if (message.type === "error") {
        status.textContent = message.message;
        if (message.id) { editing = message.id; render(); }
      }
    };
  }
  connect();
})();
