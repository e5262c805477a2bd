import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Webhook deliveries fail twice, then succeed on retry with backoff',
  tags: ['webhooks', 'faults'],
  webhooks: true,
  banks: ['sparbanken'],
  steps: [
    given.faults([{ match: {}, action: { type: 'fail-webhook', status: 500, times: 2 } }]),
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    when.send(),
    when.waitForWebhooks(2),
    then.webhooks({ atLeast: 2, type: 'payment_file.status_changed' }),
    then.deliveryAttempts({ atLeast: 2 }),
  ],
});
