// Drag-to-reorder on a gallery's photos page (a shop's or a listing's). SortableJS
// (vendor/sortablejs) moves the items with a mouse or a finger; on drop the new order is posted
// to the page's reorder address. The "Move earlier / later" buttons stay for keyboards and for
// browsers without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector("ol[data-photo-order]");
  if (!list || typeof Sortable === "undefined") return;
  const status = document.querySelector("[data-photo-order-status]");
  const hint = document.querySelector("[data-photo-order-hint]");
  if (hint) hint.hidden = false;
  for (const handle of list.querySelectorAll(".photo-list__handle")) handle.hidden = false;

  const save = async () => {
    const token = list.querySelector("input[name=csrfmiddlewaretoken]");
    const body = new URLSearchParams();
    for (const item of list.querySelectorAll("li[data-photo-id]")) {
      body.append("order", item.dataset.photoId);
    }
    try {
      const response = await fetch(list.dataset.photoOrder, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      });
      if (!response.ok) throw new Error(String(response.status));
      if (status) status.textContent = status.dataset.saved;
    } catch {
      // The page shows the order the server holds, whatever the list looks like now.
      if (status) status.textContent = status.dataset.failed;
      window.setTimeout(() => window.location.reload(), 1500);
    }
  };

  Sortable.create(list, {
    handle: ".photo-list__handle",
    animation: 150,
    // A short press before a touch drag starts, so that a finger can still scroll the page.
    delay: 150,
    delayOnTouchOnly: true,
    ghostClass: "photo-list__item--ghost",
    onEnd: (event) => {
      if (event.oldIndex !== event.newIndex) save();
    },
  });
});
