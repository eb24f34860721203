import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122195056_Initial } from './Migration20261122195056_Initial';
import { Migration20261122203454_ClaimWorkflow } from './Migration20261122203454_ClaimWorkflow';
import { Migration20261122221003_Screening } from './Migration20261122221003_Screening';
import { Migration20261201220612_InsuranceMarketplace } from './Migration20261201220612_InsuranceMarketplace';
import { Migration20261201221947_SensitiveDataAudit } from './Migration20261201221947_SensitiveDataAudit';
import { Migration20261202140438_ClaimsOfProductByFilingTime } from './Migration20261202140438_ClaimsOfProductByFilingTime';
import { Migration20261203181638_DescriptionBandsKeyedByBand } from './Migration20261203181638_DescriptionBandsKeyedByBand';
import { Migration20261208002639_EventViewsAndAudienceTexts } from './Migration20261208002639_EventViewsAndAudienceTexts';
import { Migration20261208012011_NotificationsAndEmail } from './Migration20261208012011_NotificationsAndEmail';
import { Migration20261208012021_Webhooks } from './Migration20261208012021_Webhooks';

export const SQLITE_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122195056_Initial', class: Migration20261122195056_Initial },
  { name: 'Migration20261122203454_ClaimWorkflow', class: Migration20261122203454_ClaimWorkflow },
  { name: 'Migration20261122221003_Screening', class: Migration20261122221003_Screening },
  {
    name: 'Migration20261201220612_InsuranceMarketplace',
    class: Migration20261201220612_InsuranceMarketplace,
  },
  { name: 'Migration20261201221947_SensitiveDataAudit', class: Migration20261201221947_SensitiveDataAudit },
  {
    name: 'Migration20261202140438_ClaimsOfProductByFilingTime',
    class: Migration20261202140438_ClaimsOfProductByFilingTime,
  },
  {
    name: 'Migration20261203181638_DescriptionBandsKeyedByBand',
    class: Migration20261203181638_DescriptionBandsKeyedByBand,
  },
  {
    name: 'Migration20261208002639_EventViewsAndAudienceTexts',
    class: Migration20261208002639_EventViewsAndAudienceTexts,
  },
  {
    name: 'Migration20261208012011_NotificationsAndEmail',
    class: Migration20261208012011_NotificationsAndEmail,
  },
  { name: 'Migration20261208012021_Webhooks', class: Migration20261208012021_Webhooks },
];
