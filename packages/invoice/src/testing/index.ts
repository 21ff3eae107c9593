export { INVOICE_REPOSITORY_CONTRACT, type ContractCase } from './invoice-repository-contract.js';
export { CONTRACT_NOW, contractInvoice, paidInvoice, minutesAfter } from './contract-invoices.js';
