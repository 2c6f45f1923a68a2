// The timeline's user-facing text, from custom labels (translatable in Translation Workbench).
import TITLE from '@salesforce/label/c.CoSell_Timeline_Title';
import REFRESH from '@salesforce/label/c.CoSell_Timeline_Refresh';
import LOADING from '@salesforce/label/c.CoSell_Timeline_Loading';
import EMPTY_HEADING from '@salesforce/label/c.CoSell_Timeline_Empty_Heading';
import EMPTY_BODY from '@salesforce/label/c.CoSell_Timeline_Empty_Body';
import OUTBOUND from '@salesforce/label/c.CoSell_Timeline_Outbound';
import INBOUND from '@salesforce/label/c.CoSell_Timeline_Inbound';
import UNKNOWN_DIRECTION from '@salesforce/label/c.CoSell_Timeline_Unknown_Direction';
import UNKNOWN_OUTCOME from '@salesforce/label/c.CoSell_Timeline_Unknown_Outcome';
import REFERRAL from '@salesforce/label/c.CoSell_Timeline_Referral';
import API_CALL from '@salesforce/label/c.CoSell_Timeline_Api_Call';
import API_CALLS from '@salesforce/label/c.CoSell_Timeline_Api_Calls';
import LIVE_UPDATES_UNAVAILABLE from '@salesforce/label/c.CoSell_Live_Updates_Unavailable';

export default Object.freeze({
  TITLE,
  REFRESH,
  LOADING,
  EMPTY_HEADING,
  EMPTY_BODY,
  OUTBOUND,
  INBOUND,
  UNKNOWN_DIRECTION,
  UNKNOWN_OUTCOME,
  REFERRAL,
  API_CALL,
  API_CALLS,
  LIVE_UPDATES_UNAVAILABLE,
});
