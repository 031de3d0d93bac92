// The viewers' page: post a question, show the host's answers as they are spoken.
// Every text from the server is shown with textContent, never parsed as HTML.
"use strict";
(function () {
  const replies = document.getElementById("replies");
  const status = document.getElementById("status");
  const form = document.getElementById("ask");
  const text = document.getElementById("text");
  const user = document.getElementById("user");
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  let socket = null;

  function connect() {
    socket = new WebSocket(scheme + location.host + "/ws");
    socket.onopen = function () { status.textContent = ""; document.body.dataset.ready = "1"; };
    socket.onclose = function () {
      document.body.dataset.ready = "";
      status.textContent = "Disconnected; trying again…";
      setTimeout(connect, 2000);
    };
    socket.onmessage = function (event) {
      const message = JSON.parse(event.data);
      if (message.type === "spoken") {
        const item = document.createElement("li");
        item.className = "reply";
        const question = document.createElement("span");
        question.className = "question";
        const who = document.createElement("span");
        who.className = "who";
        who.textContent = message.user + ":";
        question.append(who, document.createTextNode(message.question));
        const answer = document.createElement("span");
        answer.className = "answer";
        answer.textContent = message.text;
        item.append(question, answer);
        replies.prepend(item);
        while (replies.children.length > 50) replies.lastElementChild.remove();
      } else if (message.type === "queued") {
        status.textContent = "Sent. A person reads it before the host answers.";
      } else if (message.type === "error") {
        status.textContent = message.message;
      }
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!socket || socket.readyState !== WebSocket.OPEN || !text.value.trim()) return;
    socket.send(JSON.stringify({ type: "comment", user: user.value, text: text.value }));
    text.value = "";
  });
  connect();
})();
