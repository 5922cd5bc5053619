// The card step of checkout: Stripe's Payment Element, confirmed by Stripe.js, which sends the
// customer back to the return URL. A Stripe.js without confirmPayment (the Stripe double's stand-in
// used by the tests) gives a card token instead; it is submitted to the server, which confirms.
(function () {
  'use strict';
  var root = document.getElementById('payment');
  if (!root || typeof window.Stripe !== 'function') return;
  var form = document.getElementById('payment-form');
  var button = document.getElementById('pay-button');
  var message = document.getElementById('payment-message');
  var stripe = window.Stripe(root.getAttribute('data-publishable-key'));
  var elements = stripe.elements({ clientSecret: root.getAttribute('data-client-secret') });
  var element = elements.create('payment', { layout: 'tabs' });
  element.mount('#payment-element');
  // Stripe's own element lives in a labelled iframe; a stand-in that puts bare inputs here gets names.
  var names = { number: 'Card number', exp_month: 'Expiry month (MM)', exp_year: 'Expiry year (YY)',
                cvc: 'Security code (CVC)', postal_code: 'Postal code' };
  Array.prototype.forEach.call(document.querySelectorAll('#payment-element input:not([aria-label])'), function (input) {
    input.setAttribute('aria-label', names[input.getAttribute('placeholder')] || 'Card detail');
  });

  function fail(text) {
    message.textContent = text || (setup ? 'The card was not saved.' : 'The payment did not go through.') + ' Check the card details and try again.';
    button.disabled = false;
  }

  // data-mode="setup": the card is saved for later (a SetupIntent), nothing is charged now.
  var setup = root.getAttribute('data-mode') === 'setup';
  var confirm = setup ? stripe.confirmSetup : stripe.confirmPayment;

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    message.textContent = setup ? 'Saving the card…' : 'Processing the payment…';
    if (typeof confirm === 'function') {
      confirm.call(stripe, { elements: elements, confirmParams: { return_url: root.getAttribute('data-return-url') } })
        .then(function (result) { if (result && result.error) fail(result.error.message); }, function () { fail(); });
      return;
    }
    stripe.createToken(element).then(function (result) {
      if (!result || result.error || !result.token) { fail(result && result.error && result.error.message); return; }
      form.elements.payment_method.value = result.token.card.id;
      form.submit();
    }, function () { fail(); });
  });
})();
