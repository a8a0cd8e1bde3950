// Renders one Adaptive Card the way a Teams client would (host config, 1.5, markdown) and
// reports what a person would run into: the renderer's complaints, the text on screen, and
// the buttons whose titles do not fit.
(function () {
  const AC = window.AdaptiveCards;

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Teams renders the subset of markdown the cards use: **bold**, _italic_, line breaks.
  AC.AdaptiveCard.onProcessMarkdown = function (text, result) {
    result.outputHtml = escape(text)
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|\s)_([^_]+)_(?=\s|$)/g, "$1<em>$2</em>")
      .replace(/\n/g, "<br>");
    result.didProcess = true;
  };

  function described(events) {
    return events.map(function (e) {
      return AC.ValidationEvent[e.event] + ": " + e.message;
    });
  }

  window.renderCard = function (payload, hostConfig, width) {
    const bubble = document.getElementById("bubble");
    bubble.style.width = width + "px";
    bubble.innerHTML = "";
    const card = new AC.AdaptiveCard();
    card.hostConfig = new AC.HostConfig(hostConfig);
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    card.parse(payload, context);
    const parsing = [];
    for (let i = 0; i < context.eventCount; i++) parsing.push(context.getEventAt(i));
    const validation = card.validateProperties().validationEvents;
    const rendered = card.render();
    if (rendered) bubble.appendChild(rendered);
    const buttons = Array.from(bubble.querySelectorAll("button.ac-pushButton")).map(function (b) {
      const title = b.lastElementChild || b;
      return {
        text: b.innerText,
        cut: title.scrollWidth > title.clientWidth || b.scrollWidth > b.clientWidth,
        visible: b.offsetParent !== null,
      };
    });
    return {
      problems: described(parsing).concat(described(validation)),
      rendered: Boolean(rendered),
      text: bubble.innerText,
      buttons: buttons,
    };
  };
})();
