from django.urls import path

from .views import bank, editor, regrade, transfer

app_name = "authoring"

urlpatterns = [
    # --- the bank: list, category tree, filters, bulk actions (views/bank.py) ---
    path("questions/", bank.index, name="bank"),
    path("questions/bulk/", bank.bulk, name="bank_bulk"),
    path("categories/new/", bank.category_create, name="category_create"),
    path("categories/grant/", bank.category_grant, name="category_grant"),
    # --- end bank ---
    # --- the editor, preview, versions and diffs (views/editor.py) ---
    path("questions/new/", editor.new, name="question_new"),
    path("questions/preview/", editor.preview, name="question_preview"),
    path("questions/<id:question_id>/", editor.detail, name="question"),
    path("questions/<id:question_id>/edit/", editor.edit, name="question_edit"),
    path("questions/<id:question_id>/publish/", editor.publish, name="question_publish"),
    path("questions/<id:question_id>/retire/", editor.retire, name="question_retire"),
    path("questions/<id:question_id>/duplicate/", editor.duplicate, name="question_duplicate"),
    path("questions/<id:question_id>/history/", editor.history, name="question_history"),
    # --- end editor ---
    # --- import and export in the browser (views/transfer.py) ---
    path("import/", transfer.import_page, name="import"),
    path("import/confirm/", transfer.import_confirm, name="import_confirm"),
    path("export/", transfer.export, name="export"),
    # --- end transfer ---
    # --- regrade with a dry run (views/regrade.py) ---
    path("questions/<id:question_id>/regrade/", regrade.regrade, name="regrade"),
    # --- end regrade ---
]
