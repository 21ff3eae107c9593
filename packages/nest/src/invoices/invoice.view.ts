import {
  amountConfirmed,
  amountPaid,
  type CoinRegistry,
  formatCoinAmount,
  formatFiatAmount,
  type Invoice,
  type Payment,
  type StoredInvoice,
} from '@cryptopay/invoice';
import { ApiProperty } from '@nestjs/swagger';

class FiatView {
  @ApiProperty({ example: '25.00' }) readonly amount!: string;
  @ApiProperty({ example: 'USD' }) readonly currency!: string;
}

export class PaymentView {
  @ApiProperty({ example: 'BTC', description: "The coin paid. A payment in another coin than the invoice's is kept as evidence and counts for nothing." })
  readonly coin!: string;
  @ApiProperty() readonly txid!: string;
  @ApiProperty({ example: '0.0004', description: 'Coin units, exact decimal string.' }) readonly amount!: string;
  @ApiProperty({ enum: ['pending', 'confirmed', 'reverted'] }) readonly state!: Payment['state'];
  @ApiProperty({ type: Number, nullable: true }) readonly confirmations!: number | null;
  @ApiProperty() readonly rbf!: boolean;
  @ApiProperty() readonly test!: boolean;
}

/** The invoice as the API shows it: amounts as exact decimal strings in coin units. */
export class InvoiceView {
  @ApiProperty() readonly id!: string;
  @ApiProperty({ example: 'blockonomics' }) readonly provider!: string;
  @ApiProperty({ example: 'default', description: 'The merchant the invoice belongs to.' }) readonly merchantId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'pa_q2w4e6r8t2y4u6i8o2p4', description: "The merchant's provider account; null for the environment-configured one." })
  readonly providerAccountId!: string | null;
  @ApiProperty({ example: 'BTC' }) readonly coin!: string;
  @ApiProperty() readonly orderId!: string;
  @ApiProperty({ enum: ['new', 'processing', 'settled', 'expired', 'invalid'] }) readonly status!: Invoice['status'];
  @ApiProperty({ enum: ['paidPartial', 'paidOver', 'paidLate'], nullable: true, type: String })
  readonly exceptionStatus!: Invoice['exceptionStatus'];
  @ApiProperty({ type: FiatView }) readonly fiat!: FiatView;
  @ApiProperty({ example: '64123.45', description: 'Fiat per whole coin.' }) readonly rate!: string;
  @ApiProperty({ example: '0.00038988', description: 'Coin units, exact decimal string: the fiat amount at the rate, rounded up.' }) readonly amountDue!: string;
  @ApiProperty({ example: '0' }) readonly amountPaid!: string;
  @ApiProperty({ example: '0' }) readonly amountConfirmed!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '0.00008',
    description:
      'The smallest payment the provider forwards (BlockBee: its minimum transaction), coin units, exact decimal string; null when the provider has none. A smaller payment may never arrive: after a partial payment, ask the payer for the rest or this minimum, whichever is larger.',
  })
  readonly minimumPayment!: string | null;
  @ApiProperty() readonly address!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'https://pay.example.com/checkout/4f0c1f5e-8a51-4d4b-9d6e-2f1f7d0c8a11',
    description: "The hosted checkout page to send the payer to (`PUBLIC_URL/checkout/<id>`); null when the app does not serve the checkout.",
  })
  readonly checkoutUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://shop.example.com/orders/1001', description: 'Where the checkout page links back to once the invoice is settled, as given at creation.' })
  readonly redirectUrl!: string | null;
  @ApiProperty({ type: Object }) readonly metadata!: Readonly<Record<string, unknown>>;
  @ApiProperty() readonly expiresAt!: string;
  @ApiProperty() readonly createdAt!: string;
  @ApiProperty() readonly updatedAt!: string;
  @ApiProperty({ type: [PaymentView] }) readonly payments!: PaymentView[];
}

/** `checkoutUrl`: the invoice's checkout page (`CheckoutUrls`), null when the app serves none. */
export function toInvoiceView(invoice: StoredInvoice, coins: CoinRegistry, checkoutUrl: string | null = null): InvoiceView {
  const coin = coins.get(invoice.coin);
  return {
    id: invoice.id,
    provider: invoice.provider,
    merchantId: invoice.merchantId,
    providerAccountId: invoice.providerAccountId,
    coin: invoice.coin,
    orderId: invoice.orderId,
    status: invoice.status,
    exceptionStatus: invoice.exceptionStatus,
    fiat: { amount: formatFiatAmount(invoice.fiat), currency: invoice.fiat.currency },
    rate: invoice.rate,
    amountDue: formatCoinAmount(coin, invoice.amountDue),
    amountPaid: formatCoinAmount(coin, amountPaid(invoice)),
    amountConfirmed: formatCoinAmount(coin, amountConfirmed(invoice)),
    minimumPayment: invoice.minimumPayment === null ? null : formatCoinAmount(coin, invoice.minimumPayment),
    address: invoice.address,
    checkoutUrl,
    redirectUrl: invoice.redirectUrl,
    metadata: invoice.metadata,
    expiresAt: invoice.expiresAt.toISOString(),
    createdAt: invoice.createdAt.toISOString(),
    updatedAt: invoice.updatedAt.toISOString(),
    payments: invoice.payments.map((payment) => ({
      coin: payment.coin,
      txid: payment.txid,
      // A payment in another coin is evidence only; it is shown in its own coin's units.
      amount: formatCoinAmount(coins.has(payment.coin) ? coins.get(payment.coin) : coin, payment.amount),
      state: payment.state,
      confirmations: payment.confirmations,
      rbf: payment.rbf,
      test: payment.test,
    })),
  };
}
