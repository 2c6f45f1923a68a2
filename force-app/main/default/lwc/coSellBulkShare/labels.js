// The bulk share screen's user-facing text, from custom labels (translatable in Translation Workbench).
import TITLE from '@salesforce/label/c.CoSell_Bulk_Title';
import LOADING from '@salesforce/label/c.CoSell_Bulk_Loading';
import NONE_SELECTED from '@salesforce/label/c.CoSell_Bulk_None_Selected';
import SHARE_BUTTON from '@salesforce/label/c.CoSell_Bulk_Share_Button';
import PROGRESS from '@salesforce/label/c.CoSell_Bulk_Progress';
import SUMMARY from '@salesforce/label/c.CoSell_Bulk_Summary';
import STATE_READY from '@salesforce/label/c.CoSell_Bulk_State_Ready';
import STATE_NOT_READY from '@salesforce/label/c.CoSell_Bulk_State_Not_Ready';
import STATE_SHARING from '@salesforce/label/c.CoSell_Bulk_State_Sharing';
import STATE_SHARED from '@salesforce/label/c.CoSell_Bulk_State_Shared';
import STATE_WAITING from '@salesforce/label/c.CoSell_Bulk_State_Waiting';
import STATE_FAILED from '@salesforce/label/c.CoSell_Bulk_State_Failed';
import WAITING_REASON from '@salesforce/label/c.CoSell_Bulk_Waiting_Reason';
import COLUMN_NAME from '@salesforce/label/c.CoSell_Bulk_Column_Name';
import COLUMN_RESULT from '@salesforce/label/c.CoSell_Bulk_Column_Result';
import COLUMN_DETAIL from '@salesforce/label/c.CoSell_Bulk_Column_Detail';

export default Object.freeze({
  TITLE,
  LOADING,
  NONE_SELECTED,
  SHARE_BUTTON,
  PROGRESS,
  SUMMARY,
  STATE_READY,
  STATE_NOT_READY,
  STATE_SHARING,
  STATE_SHARED,
  STATE_WAITING,
  STATE_FAILED,
  WAITING_REASON,
  COLUMN_NAME,
  COLUMN_RESULT,
  COLUMN_DETAIL,
});
